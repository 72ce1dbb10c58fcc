-- 物品放行 (requirements §2.11, §5.2 rule 23; S3 篇1): the 放行条 with its serial number
-- (FX-2026-11-0001 from site_counters, prefix 'FX'), the site's reading of the identity rule
-- (C25), and other open bills a site records beyond the 付款请求书.

CREATE TABLE release_passes (
    id            uuid PRIMARY KEY,
    site_id       uuid NOT NULL REFERENCES sites (id),
    unit_id       uuid NOT NULL REFERENCES units (id),
    number        text NOT NULL CHECK (number ~ '^FX-[0-9]{4}-[0-9]{2}-[0-9]{4,}$'),
    status        text NOT NULL CHECK (status IN ('issued', 'used', 'void')),
    version       bigint NOT NULL CHECK (version >= 1),
    -- The whole domain record (`domain::release::pass::Pass`, the mover's ID number masked);
    -- the columns above are copies.
    doc           jsonb NOT NULL,
    -- The mover's ID number in full, for the audited reveal; it never leaves the server as is.
    mover_id_card text NOT NULL CHECK (mover_id_card ~ '^[0-9]{17}[0-9X]$'),
    issued_by     uuid NOT NULL REFERENCES staff (id),
    issued_at     timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (site_id, number)
);
CREATE INDEX release_passes_site_idx ON release_passes (site_id, issued_at DESC);
CREATE INDEX release_passes_unit_idx ON release_passes (unit_id);

-- A 放行条 must not be torn up or lost (S3 篇1): it is voided (作废), never deleted.
CREATE FUNCTION refuse_release_pass_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted: void (作废) or clear them instead', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation',
              HINT = 'S3 篇1: a pass is serial-numbered and must not be torn up or lost';
END;
$$;
CREATE TRIGGER release_passes_never_deleted BEFORE DELETE ON release_passes
    FOR EACH ROW EXECUTE FUNCTION refuse_release_pass_delete();

-- `domain::release::policy::ReleasePolicy` as JSON; a site without a row runs on the default.
CREATE TABLE release_policies (
    site_id    uuid PRIMARY KEY REFERENCES sites (id),
    policy     jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid REFERENCES staff (id)
);

-- Other open bills of a unit that block a pass (e.g. management fees kept outside the repair
-- billing). Finance records and clears them; they are never deleted either.
CREATE TABLE release_other_bills (
    id          uuid PRIMARY KEY,
    site_id     uuid NOT NULL REFERENCES sites (id),
    unit_id     uuid NOT NULL REFERENCES units (id),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 100),
    amount_fen  bigint NOT NULL CHECK (amount_fen > 0),
    recorded_by uuid NOT NULL REFERENCES staff (id),
    recorded_at timestamptz NOT NULL,
    cleared_by  uuid REFERENCES staff (id),
    cleared_at  timestamptz,
    CHECK ((cleared_at IS NULL) = (cleared_by IS NULL))
);
CREATE INDEX release_other_bills_open_idx ON release_other_bills (unit_id) WHERE cleared_at IS NULL;
CREATE TRIGGER release_other_bills_never_deleted BEFORE DELETE ON release_other_bills
    FOR EACH ROW EXECUTE FUNCTION refuse_release_pass_delete();
