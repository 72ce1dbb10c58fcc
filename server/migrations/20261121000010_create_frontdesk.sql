-- Front desk: move-in (入伙) and tenant move-out (退租), resident cards (住户卡) and TV tail lines,
-- facility bookings, parking rentals, lending, notices (requirements §2.13, §2.16, §2.18, §2.23).
-- Move-ins, move-outs, bookings, rentals, loans and notices keep the whole domain record as
-- jsonb with queryable copies of the key columns (as work orders do).

CREATE TABLE move_ins (
    id          uuid PRIMARY KEY,
    site_id     uuid NOT NULL REFERENCES sites (id),
    unit_id     uuid NOT NULL REFERENCES units (id),
    status      text NOT NULL CHECK (status IN ('registered', 'papers_checked', 'fees_paid',
                                                'rectifying', 'accepted', 'keys_handed')),
    record      jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX move_ins_site_idx ON move_ins (site_id, created_at DESC);
-- One move-in under way per unit.
CREATE UNIQUE INDEX move_ins_open_unit ON move_ins (unit_id) WHERE status <> 'keys_handed';

CREATE TABLE move_outs (
    id          uuid PRIMARY KEY,
    site_id     uuid NOT NULL REFERENCES sites (id),
    unit_id     uuid NOT NULL REFERENCES units (id),
    status      text NOT NULL CHECK (status IN ('requested', 'security_reviewed', 'disputed',
                                                'inspected', 'settled', 'passes_returned',
                                                'moved_out')),
    record      jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX move_outs_site_idx ON move_outs (site_id, created_at DESC);
CREATE UNIQUE INDEX move_outs_open_unit ON move_outs (unit_id) WHERE status <> 'moved_out';

-- 《住户卡》: one person, one card. The ID number is the person (stored in full like
-- residents.id_card, shown masked).
CREATE TABLE resident_cards (
    id           uuid PRIMARY KEY,
    site_id      uuid NOT NULL REFERENCES sites (id),
    unit_id      uuid NOT NULL REFERENCES units (id),
    card_no      text NOT NULL,
    holder_name  text NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 64),
    id_card      text NOT NULL CHECK (id_card ~ '^[0-9]{17}[0-9X]$'),
    holder       text NOT NULL CHECK (holder IN ('owner', 'direct_relative', 'other_relative', 'tenant')),
    photos       integer NOT NULL CHECK (photos >= 0),
    fee_fen      bigint NOT NULL CHECK (fee_fen >= 0),
    deposit_fen  bigint NOT NULL CHECK (deposit_fen >= 0),
    status       text NOT NULL CHECK (status IN ('active', 'returned')),
    issued_by    uuid NOT NULL,
    issued_at    timestamptz NOT NULL,
    returned_at  timestamptz,
    UNIQUE (site_id, card_no)
);
CREATE UNIQUE INDEX resident_cards_one_per_person ON resident_cards (site_id, id_card)
    WHERE status = 'active';
CREATE INDEX resident_cards_unit_idx ON resident_cards (unit_id);

-- 电视尾线领用: one per household.
CREATE TABLE tail_lines (
    unit_id         uuid PRIMARY KEY REFERENCES units (id),
    site_id         uuid NOT NULL REFERENCES sites (id),
    collector_name  text NOT NULL CHECK (length(collector_name) BETWEEN 1 AND 64),
    issued_by       uuid NOT NULL,
    issued_at       timestamptz NOT NULL
);

-- Bookable facilities: each one's hours and slot length are the site's setting.
CREATE TABLE facilities (
    id            uuid PRIMARY KEY,
    site_id       uuid NOT NULL REFERENCES sites (id),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 32),
    opens         time NOT NULL,
    closes        time NOT NULL CHECK (closes > opens),
    slot_minutes  integer NOT NULL CHECK (slot_minutes BETWEEN 15 AND 480),
    active        boolean NOT NULL DEFAULT true,
    UNIQUE (site_id, name)
);

CREATE TABLE facility_bookings (
    id           uuid PRIMARY KEY,
    site_id      uuid NOT NULL REFERENCES sites (id),
    facility_id  uuid NOT NULL REFERENCES facilities (id),
    unit_id      uuid NOT NULL REFERENCES units (id),
    status       text NOT NULL CHECK (status IN ('requested', 'assigned', 'cancelled')),
    slot_date    date,
    slot_start   time,
    slot_end     time,
    record       jsonb NOT NULL,
    created_at   timestamptz NOT NULL,
    CHECK ((status = 'assigned') = (slot_date IS NOT NULL) OR status = 'cancelled')
);
CREATE INDEX facility_bookings_site_idx ON facility_bookings (site_id, created_at DESC);
-- The backstop against a double-booked slot (slots lie on each facility's grid).
CREATE UNIQUE INDEX facility_bookings_slot ON facility_bookings (facility_id, slot_date, slot_start)
    WHERE status = 'assigned';

-- 租车位: 车位协议书, rent + 车卡押金, car card.
CREATE TABLE parking_rentals (
    id          uuid PRIMARY KEY,
    site_id     uuid NOT NULL REFERENCES sites (id),
    unit_id     uuid NOT NULL REFERENCES units (id),
    space_no    text NOT NULL,
    status      text NOT NULL CHECK (status IN ('agreed', 'paid', 'card_issued')),
    record      jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (site_id, space_no)
);

-- Wheelchair and tool lending.
CREATE TABLE loans (
    id           uuid PRIMARY KEY,
    site_id      uuid NOT NULL REFERENCES sites (id),
    unit_id      uuid NOT NULL REFERENCES units (id),
    item_name    text NOT NULL,
    due_on       date NOT NULL,
    returned_at  timestamptz,
    record       jsonb NOT NULL,
    lent_at      timestamptz NOT NULL
);
CREATE INDEX loans_site_idx ON loans (site_id, lent_at DESC);
CREATE UNIQUE INDEX loans_item_out ON loans (site_id, item_name) WHERE returned_at IS NULL;

-- 通知 / 温馨提示: archived by date (expires_on before today in China), nothing runs.
CREATE TABLE notices (
    id               uuid PRIMARY KEY,
    site_id          uuid NOT NULL REFERENCES sites (id),
    kind             text NOT NULL CHECK (kind IN ('outage', 'cleaning', 'pest_control',
                                                   'fire_drill', 'lift_maintenance', 'other')),
    effective_from   date NOT NULL,
    effective_until  date NOT NULL CHECK (effective_until >= effective_from),
    expires_on       date NOT NULL CHECK (expires_on >= effective_until),
    record           jsonb NOT NULL,
    published_at     timestamptz NOT NULL
);
CREATE INDEX notices_site_idx ON notices (site_id, expires_on DESC);
