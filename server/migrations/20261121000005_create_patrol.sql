-- Patrol (巡检, requirements §2.10): checkpoints with their QR codes and checklists, routes,
-- the officers' rounds (the domain record as jsonb, like work orders), customer-service cases
-- raised from patrol faults a repair can't fix, and notifications for a role at a site.

-- The service centre's phone: the call-back number of repair orders raised on patrol when the
-- officer has none on file.
ALTER TABLE sites ADD COLUMN phone text NOT NULL DEFAULT '' CHECK (phone ~ '^([0-9]{10,12})?$');

-- 巡检点. The code is what the QR label holds and what is printed under it for typing; it is
-- unique across sites, so a scanned label names one place (a site prefix: CH-3-1-LT).
CREATE TABLE checkpoints (
    id         uuid PRIMARY KEY,
    site_id    uuid NOT NULL REFERENCES sites (id),
    code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'),
    name_zh    text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 64),
    area       text NOT NULL CHECK (area IN ('stairwell', 'roof', 'lift', 'lobby', 'grounds')),
    building   text CHECK (length(building) BETWEEN 1 AND 16),
    lat        double precision CHECK (lat BETWEEN -90 AND 90),
    lng        double precision CHECK (lng BETWEEN -180 AND 180),
    -- The site's copy of the area's checklist (`Vec<domain::patrol::checklist::ChecklistItem>`).
    items      jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array' AND jsonb_array_length(items) > 0),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((lat IS NULL) = (lng IS NULL)),
    UNIQUE (site_id, id)
);
CREATE INDEX checkpoints_site_idx ON checkpoints (site_id);

-- 巡检路线: daily per building; weather (balconies in rain, snow or wind) and holiday (homes of
-- residents who are away) rounds are started by hand.
CREATE TABLE routes (
    id         uuid PRIMARY KEY,
    site_id    uuid NOT NULL REFERENCES sites (id),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    ordered    boolean NOT NULL DEFAULT true,
    schedule   text NOT NULL CHECK (schedule IN ('daily', 'weather', 'holiday')),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (site_id, id)
);
CREATE INDEX routes_site_idx ON routes (site_id);

-- The checkpoints of a route in walking order; the composite keys keep them on the route's site.
CREATE TABLE route_checkpoints (
    site_id       uuid NOT NULL,
    route_id      uuid NOT NULL,
    position      integer NOT NULL CHECK (position >= 0),
    checkpoint_id uuid NOT NULL,
    PRIMARY KEY (route_id, position),
    UNIQUE (route_id, checkpoint_id),
    FOREIGN KEY (site_id, route_id) REFERENCES routes (site_id, id),
    FOREIGN KEY (site_id, checkpoint_id) REFERENCES checkpoints (site_id, id)
);

-- 巡检记录: one officer's round of a route on one day.
CREATE TABLE rounds (
    id          uuid PRIMARY KEY,
    site_id     uuid NOT NULL REFERENCES sites (id),
    officer     uuid NOT NULL REFERENCES staff (id),
    route_id    uuid NOT NULL REFERENCES routes (id),
    date        date NOT NULL,
    status      text NOT NULL CHECK (status IN ('planned', 'in_progress', 'finished', 'finished_early')),
    version     bigint NOT NULL CHECK (version >= 1),
    -- The whole domain record (`domain::patrol::round::Round`); the columns above are copies.
    doc         jsonb NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX rounds_site_date_idx ON rounds (site_id, date);
CREATE INDEX rounds_officer_idx ON rounds (officer, date);

-- Repair orders raised from patrol: found by round, and at most one open per fault source.
CREATE INDEX work_orders_patrol_round_idx ON work_orders ((doc->'patrol_source'->>'round_id'))
    WHERE doc ? 'patrol_source';
CREATE UNIQUE INDEX work_orders_open_patrol_source_idx
    ON work_orders (site_id, (doc->'patrol_source'->'fault'))
    WHERE doc ? 'patrol_source'
      AND status NOT IN ('closed', 'resident_declined', 'referred', 'answered');

-- Customer-service cases: patrol faults a repair can't fix (illegal structures, throwing from
-- height, noise, graffiti, hygiene). At most one open case per fault source.
CREATE TABLE service_cases (
    id           uuid PRIMARY KEY,
    site_id      uuid NOT NULL REFERENCES sites (id),
    round_id     uuid NOT NULL REFERENCES rounds (id),
    -- `domain::patrol::findings::FaultSource`
    source       jsonb NOT NULL,
    place        text NOT NULL,
    content      text NOT NULL,
    photos       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(photos) = 'array'),
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by   uuid NOT NULL REFERENCES staff (id),
    created_at   timestamptz NOT NULL,
    closed_at    timestamptz,
    closed_by    uuid REFERENCES staff (id),
    closing_note text NOT NULL DEFAULT '',
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX service_cases_site_idx ON service_cases (site_id, created_at DESC);
CREATE INDEX service_cases_round_idx ON service_cases (round_id);
CREATE UNIQUE INDEX service_cases_open_source_idx ON service_cases (site_id, source)
    WHERE status = 'open';

-- Notifications for everyone of a role at a site (staff_id NULL), or for one person.
CREATE TABLE notifications (
    id         uuid PRIMARY KEY,
    site_id    uuid NOT NULL REFERENCES sites (id),
    role       text NOT NULL CHECK (role IN ('tech', 'patrol', 'desk', 'eng_mgr', 'cs_mgr',
                                             'center_mgr', 'finance', 'security', 'admin')),
    staff_id   uuid REFERENCES staff (id),
    kind       text NOT NULL,
    text       text NOT NULL,
    link       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    read_by    uuid REFERENCES staff (id),
    CHECK ((read_at IS NULL) = (read_by IS NULL))
);
CREATE INDEX notifications_site_role_idx ON notifications (site_id, role, created_at DESC);
