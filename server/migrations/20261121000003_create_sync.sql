-- Offline sync v1: devices and their ledgers, the recorded result of every mutation (for
-- exactly-once replays), work orders, the change feed pulled by devices, the review list of
-- text conflicts, blobs, and per-site serial counters.

CREATE TABLE sync_devices (
    device_id       uuid PRIMARY KEY,
    staff_id        uuid NOT NULL REFERENCES staff (id),
    last_seq        bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    -- Server clock minus device clock at the last push, in ms.
    clock_offset_ms bigint,
    last_push_at    timestamptz,
    last_pull_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sync_mutations (
    mutation_id  uuid PRIMARY KEY,
    device_id    uuid NOT NULL REFERENCES sync_devices (device_id),
    seq          bigint NOT NULL,
    staff_id     uuid NOT NULL REFERENCES staff (id),
    entity_id    uuid NOT NULL,
    command      text NOT NULL,
    fingerprint  text NOT NULL,
    outcome      jsonb NOT NULL,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    UNIQUE (device_id, seq)
);

CREATE TABLE work_orders (
    id           uuid PRIMARY KEY,
    site_id      uuid NOT NULL REFERENCES sites (id),
    unit_id      uuid REFERENCES units (id),
    number       text NOT NULL,
    status       text NOT NULL,
    kind         text NOT NULL,
    assignee     uuid REFERENCES staff (id),
    created_by   uuid NOT NULL REFERENCES staff (id),
    version      bigint NOT NULL CHECK (version >= 1),
    -- The whole domain record (`domain::work_orders::WorkOrder`); the columns above are copies
    -- for queries and constraints.
    doc          jsonb NOT NULL,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (site_id, number)
);
CREATE INDEX work_orders_site_status_idx ON work_orders (site_id, status);
CREATE INDEX work_orders_assignee_idx ON work_orders (assignee) WHERE assignee IS NOT NULL;

-- The change feed. Devices pull by (txid, id): rows of transactions older than every running
-- one are final, so a cursor never skips a row committed late.
CREATE TABLE sync_changes (
    id          bigserial PRIMARY KEY,
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    site_id     uuid NOT NULL REFERENCES sites (id),
    entity_kind text NOT NULL,
    entity_id   uuid NOT NULL,
    version     bigint NOT NULL,
    -- Staff who must see it even if their role sees only their own records.
    audience    uuid[] NOT NULL DEFAULT '{}',
    changed_at  timestamptz NOT NULL
);
CREATE INDEX sync_changes_cursor_idx ON sync_changes (txid, id);

-- Text both sides changed: waits for a manager.
CREATE TABLE sync_conflicts (
    id            uuid PRIMARY KEY,
    site_id       uuid NOT NULL REFERENCES sites (id),
    entity_kind   text NOT NULL,
    entity_id     uuid NOT NULL,
    field         text NOT NULL,
    base_value    text NOT NULL,
    server_value  text NOT NULL,
    device_value  text NOT NULL,
    mutation_id   uuid NOT NULL,
    staff_id      uuid NOT NULL REFERENCES staff (id),
    created_at    timestamptz NOT NULL,
    resolved_at   timestamptz,
    resolved_by   uuid REFERENCES staff (id),
    resolution    text CHECK (resolution IN ('server', 'device'))
);
CREATE INDEX sync_conflicts_open_idx ON sync_conflicts (site_id) WHERE resolved_at IS NULL;

-- Photos and signature images, content-addressed, uploaded in resumable chunks. Kept in the
-- database so the server stays stateless; the BlobStore can move to S3-compatible storage.
CREATE TABLE blobs (
    sha256       text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size         bigint NOT NULL CHECK (size > 0),
    content_type text NOT NULL,
    received     bigint NOT NULL DEFAULT 0,
    complete     boolean NOT NULL DEFAULT false,
    uploaded_by  uuid NOT NULL REFERENCES staff (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE blob_chunks (
    sha256  text NOT NULL REFERENCES blobs (sha256) ON DELETE CASCADE,
    offset_bytes bigint NOT NULL,
    data    bytea NOT NULL,
    PRIMARY KEY (sha256, offset_bytes)
);

-- Readable per-site serials (BX-2026-11-0042), allocated when the server applies a create.
CREATE TABLE site_counters (
    site_id  uuid NOT NULL REFERENCES sites (id),
    prefix   text NOT NULL,
    period   text NOT NULL,
    last     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, prefix, period)
);
