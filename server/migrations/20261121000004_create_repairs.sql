-- Repairs: each site's repair policy, the 付款请求书 (payment requests) with their lines, the
-- closing time of a work order as a column, and the retention rule (S3 篇3: 保存期3年).

-- `domain::work_orders::policy::RepairPolicy` as JSON; a site without a row runs on the default.
CREATE TABLE site_policies (
    site_id    uuid PRIMARY KEY REFERENCES sites (id),
    policy     jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid REFERENCES staff (id)
);

-- A copy of `doc->>'closed_at'`, written by the same upsert as the document: billing and the
-- second-repair look-up query by it.
ALTER TABLE work_orders ADD COLUMN closed_at timestamptz;
UPDATE work_orders SET closed_at = (doc->>'closed_at')::timestamptz WHERE doc ? 'closed_at';
CREATE INDEX work_orders_closed_idx ON work_orders (site_id, closed_at)
    WHERE closed_at IS NOT NULL;
CREATE INDEX work_orders_unit_closed_idx ON work_orders (unit_id, closed_at)
    WHERE unit_id IS NOT NULL AND closed_at IS NOT NULL;

-- One household's 付款请求书. Numbers (FK-2026-11-0001) come from site_counters, prefix 'FK'.
CREATE TABLE payment_requests (
    id          uuid PRIMARY KEY,
    site_id     uuid NOT NULL REFERENCES sites (id),
    unit_id     uuid NOT NULL REFERENCES units (id),
    number      text NOT NULL CHECK (number ~ '^FK-[0-9]{4}-[0-9]{2}-[0-9]{4,}$'),
    issued_on   date NOT NULL,
    due_on      date NOT NULL CHECK (due_on >= issued_on),
    total_fen   bigint NOT NULL CHECK (total_fen >= 0),
    paid_at     timestamptz,
    paid_method text CHECK (paid_method IN ('bank_transfer', 'online', 'cash_at_office',
                                            'door_collection')),
    -- Only finance marks a request paid; technicians never take money.
    paid_by     uuid REFERENCES staff (id),
    created_at  timestamptz NOT NULL,
    created_by  uuid NOT NULL REFERENCES staff (id),
    UNIQUE (site_id, number),
    CHECK ((paid_at IS NULL) = (paid_method IS NULL) AND (paid_at IS NULL) = (paid_by IS NULL))
);
CREATE INDEX payment_requests_site_issued_idx ON payment_requests (site_id, issued_on);
CREATE INDEX payment_requests_unpaid_idx ON payment_requests (site_id, due_on)
    WHERE paid_at IS NULL;

-- The jobs a request bills. A job is never billed twice: work_order_id is unique.
CREATE TABLE payment_request_lines (
    request_id    uuid NOT NULL REFERENCES payment_requests (id),
    work_order_id uuid NOT NULL UNIQUE REFERENCES work_orders (id),
    order_number  text NOT NULL,
    description   text NOT NULL,
    amount_fen    bigint NOT NULL CHECK (amount_fen > 0),
    closed_at     timestamptz NOT NULL
);
CREATE INDEX payment_request_lines_request_idx ON payment_request_lines (request_id);

-- Retention (S3 篇3 保存期3年, or longer where the site's policy says so): a work order is kept
-- until that many years after it closed, a payment request until that many years after it was
-- paid; open jobs and unpaid requests are never deleted.
CREATE FUNCTION retention_years(site uuid) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT GREATEST(3, COALESCE((SELECT (policy->>'retention_years')::integer
                                 FROM site_policies WHERE site_id = site), 3))
$$;

CREATE FUNCTION refuse_delete_within_retention() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    keep_years integer;
    settled    timestamptz;
    what       text;
BEGIN
    IF TG_TABLE_NAME = 'work_orders' THEN
        keep_years := retention_years(OLD.site_id);
        settled := OLD.closed_at;
        what := 'work order ' || OLD.number;
    ELSIF TG_TABLE_NAME = 'payment_requests' THEN
        keep_years := retention_years(OLD.site_id);
        settled := OLD.paid_at;
        what := 'payment request ' || OLD.number;
    ELSE
        SELECT retention_years(r.site_id), r.paid_at, 'the lines of payment request ' || r.number
          INTO keep_years, settled, what
          FROM payment_requests r WHERE r.id = OLD.request_id;
    END IF;
    IF settled IS NULL OR settled > now() - make_interval(years => keep_years) THEN
        RAISE EXCEPTION 'retention: % must be kept for % years after it is settled (S3 篇3 保存期3年)',
            what, keep_years
            USING ERRCODE = 'integrity_constraint_violation',
                  HINT = 'repair and billing records are never deleted before their retention ends';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER work_orders_retention BEFORE DELETE ON work_orders
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_within_retention();
CREATE TRIGGER payment_requests_retention BEFORE DELETE ON payment_requests
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_within_retention();
CREATE TRIGGER payment_request_lines_retention BEFORE DELETE ON payment_request_lines
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_within_retention();
