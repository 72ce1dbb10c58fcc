-- Front desk (前台): office hours per site, lock-openings (撬锁), renovations (装修), the police
-- data-access procedure (查业户资料程序) and the append-only audit log of personal data shown.
-- Records keep the domain record as jsonb with queryable copies of key columns, like work orders.

CREATE TABLE desk_settings (
    site_id      uuid PRIMARY KEY REFERENCES sites (id),
    office_hours jsonb NOT NULL,
    updated_by   uuid REFERENCES staff (id),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lock_openings (
    id            uuid PRIMARY KEY,
    site_id       uuid NOT NULL REFERENCES sites (id),
    unit_id       uuid NOT NULL REFERENCES units (id),
    status        text NOT NULL CHECK (status IN ('identity_verified', 'entrustment_signed', 'dispatched')),
    work_order_id uuid UNIQUE REFERENCES work_orders (id),
    version       bigint NOT NULL CHECK (version > 0),
    doc           jsonb NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX lock_openings_site_idx ON lock_openings (site_id, created_at DESC);

CREATE TABLE renovations (
    id          uuid PRIMARY KEY,
    site_id     uuid NOT NULL REFERENCES sites (id),
    unit_id     uuid NOT NULL REFERENCES units (id),
    status      text NOT NULL,
    review_due  date NOT NULL,
    version     bigint NOT NULL CHECK (version > 0),
    doc         jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX renovations_site_idx ON renovations (site_id, created_at DESC);
CREATE INDEX renovations_workers_idx ON renovations USING gin ((doc -> 'workers') jsonb_path_ops);

CREATE TABLE police_lookups (
    id          uuid PRIMARY KEY,
    site_id     uuid NOT NULL REFERENCES sites (id),
    status      text NOT NULL CHECK (status IN ('pending_approval', 'approved', 'declined')),
    doc         jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX police_lookups_site_idx ON police_lookups (site_id, created_at DESC);

-- Who saw whose personal data, when and why (requirements §2.20, §5.3 rule 38). Nobody edits
-- or deletes a row: the triggers refuse it, whoever asks.
CREATE TABLE audit_log (
    id          uuid PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    site_id     uuid REFERENCES sites (id),
    staff_id    uuid NOT NULL REFERENCES staff (id),
    staff_name  text NOT NULL,
    staff_role  text NOT NULL,
    action      text NOT NULL CHECK (action IN ('reveal', 'police_request', 'police_approve',
                                                 'police_decline', 'police_view')),
    kind        text NOT NULL DEFAULT '',
    subject_id  uuid,
    subject     text NOT NULL DEFAULT '',
    reason      text NOT NULL DEFAULT '',
    detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_site_idx ON audit_log (site_id, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
