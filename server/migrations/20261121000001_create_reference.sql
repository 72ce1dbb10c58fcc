-- Reference data: sites (小区), buildings (楼栋), units (房号), residents (业户).
-- Ids are UUIDv7 made by the application. Money is integer fen. Areas are in 0.01 m².

CREATE TABLE sites (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{2,32}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    address     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE buildings (
    id          uuid PRIMARY KEY,
    site_id     uuid NOT NULL REFERENCES sites (id),
    number      text NOT NULL CHECK (length(number) BETWEEN 1 AND 16),
    name        text NOT NULL,
    floors      integer NOT NULL CHECK (floors BETWEEN 1 AND 200),
    UNIQUE (site_id, number)
);

CREATE TABLE units (
    id            uuid PRIMARY KEY,
    site_id       uuid NOT NULL REFERENCES sites (id),
    building_id   uuid NOT NULL REFERENCES buildings (id),
    entrance      text NOT NULL CHECK (length(entrance) BETWEEN 1 AND 16),
    room          text NOT NULL CHECK (length(room) BETWEEN 1 AND 16),
    floor         integer NOT NULL,
    area_centi_m2 integer NOT NULL CHECK (area_centi_m2 > 0),
    occupancy     text NOT NULL CHECK (occupancy IN ('vacant', 'owner_occupied', 'rented', 'business')),
    UNIQUE (building_id, entrance, room)
);
CREATE INDEX units_site_idx ON units (site_id);

CREATE TABLE residents (
    id          uuid PRIMARY KEY,
    site_id     uuid NOT NULL REFERENCES sites (id),
    unit_id     uuid NOT NULL REFERENCES units (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    role        text NOT NULL CHECK (role IN ('owner', 'tenant', 'family_member')),
    phone       text CHECK (phone ~ '^[0-9]{10,12}$'),
    -- Stored in full (the lock-opening and release-pass checks compare it), shown masked.
    id_card     text CHECK (id_card ~ '^[0-9]{17}[0-9X]$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX residents_unit_idx ON residents (unit_id);
CREATE INDEX residents_site_idx ON residents (site_id);

-- 《管理处家庭维修服务项目一览表》, editable per site (requirements §3.1).
CREATE TABLE catalogue_items (
    id                  uuid PRIMARY KEY,
    site_id             uuid NOT NULL REFERENCES sites (id),
    code                text NOT NULL,
    category            text NOT NULL CHECK (category IN ('electrical', 'plumbing', 'carpentry')),
    name_zh             text NOT NULL,
    name_en             text NOT NULL,
    std_minutes         integer CHECK (std_minutes > 0),
    time_unit           text NOT NULL CHECK (time_unit IN ('per_job', 'per_metre', 'per_bike')),
    remarks_zh          text NOT NULL DEFAULT '',
    requires_disclaimer boolean NOT NULL DEFAULT false,
    price_fen           bigint NOT NULL CHECK (price_fen >= 0),
    active              boolean NOT NULL DEFAULT true,
    UNIQUE (site_id, code)
);

-- 《专业供应商名单和维修服务项目一览表》: referral only, never dispatched (requirements §3.2).
CREATE TABLE supplier_items (
    id               uuid PRIMARY KEY,
    site_id          uuid NOT NULL REFERENCES sites (id),
    code             text NOT NULL,
    name_zh          text NOT NULL,
    name_en          text NOT NULL,
    reason           text NOT NULL CHECK (reason IN ('high_skill', 'regulated')),
    supplier_hint_zh text NOT NULL DEFAULT '',
    group_zh         text NOT NULL DEFAULT '',
    UNIQUE (site_id, code)
);
