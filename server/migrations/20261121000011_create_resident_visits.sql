-- Resident visits (业户访问 / 走访, requirements §2.8, §3.3): 《业户访问记录》, the monthly
-- reporting chain of the records, and each site's reading of the visit documents.

-- One visit to one household. Return visits (回访) live in `return_visits` and never count here.
CREATE TABLE resident_visits (
    id                 uuid PRIMARY KEY,
    site_id            uuid NOT NULL REFERENCES sites (id),
    unit_id            uuid NOT NULL REFERENCES units (id),
    visitor_id         uuid NOT NULL REFERENCES staff (id),
    visited_at         timestamptz NOT NULL,
    -- The local (China) month and year of the visit: what the quota and the chain count by.
    visit_month        date NOT NULL CHECK (extract(day FROM visit_month) = 1),
    -- `domain::visits::record::VisitTopic` codes, in the documents' order.
    topics             text[] NOT NULL CHECK (cardinality(topics) BETWEEN 1 AND 10),
    method             text NOT NULL CHECK (method IN ('home', 'office', 'outdoors', 'questionnaire', 'phone', 'other')),
    notes              text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    resident_name      text NOT NULL DEFAULT '' CHECK (length(resident_name) <= 64),
    -- 业户签名: signed (image + name), refused (业户拒绝签名, never forced), or not taken.
    signature          text NOT NULL CHECK (signature IN ('signed', 'refused', 'not_taken')),
    signature_sha256   text CHECK (signature_sha256 ~ '^[0-9a-f]{64}$'),
    signature_size     bigint,
    signature_type     text,
    signer_name        text CHECK (length(signer_name) <= 64),
    feedback_requested boolean NOT NULL DEFAULT false,
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((signature = 'signed') = (signature_sha256 IS NOT NULL AND signer_name IS NOT NULL))
);
CREATE INDEX resident_visits_month_idx ON resident_visits (site_id, visit_month, visited_at);
CREATE INDEX resident_visits_unit_idx ON resident_visits (unit_id, visited_at DESC);
CREATE INDEX resident_visits_visitor_idx ON resident_visits (visitor_id, visited_at DESC);

-- The monthly chain of one site's visits (S0 第1/7篇; 第11篇 variant): the CS supervisor signs
-- opinions on the records, the summary is written, it is reviewed and approved. Each step keeps
-- who, in which role, when and what they wrote; the order is enforced by
-- `domain::visits::reporting::apply_step` and backed by the checks below.
CREATE TABLE visit_reports (
    site_id           uuid NOT NULL REFERENCES sites (id),
    month             date NOT NULL CHECK (extract(day FROM month) = 1),
    records_by        uuid REFERENCES staff (id),
    records_role      text,
    records_at        timestamptz,
    records_text      text,
    summary_by        uuid REFERENCES staff (id),
    summary_role      text,
    summary_at        timestamptz,
    summary_text      text,
    approval_by       uuid REFERENCES staff (id),
    approval_role     text,
    approval_at       timestamptz,
    approval_text     text,
    PRIMARY KEY (site_id, month),
    CHECK ((records_at IS NULL) = (records_by IS NULL)),
    CHECK ((summary_at IS NULL) = (summary_by IS NULL)),
    CHECK ((approval_at IS NULL) = (approval_by IS NULL)),
    CHECK (summary_at IS NULL OR records_at IS NOT NULL),
    CHECK (approval_at IS NULL OR summary_at IS NOT NULL)
);

-- `domain::visits::policy::VisitPolicy` as JSON; a site without a row runs on the default
-- (S0 第1/7篇).
CREATE TABLE visit_policies (
    site_id    uuid PRIMARY KEY REFERENCES sites (id),
    policy     jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
    updated_by uuid REFERENCES staff (id),
    updated_at timestamptz NOT NULL DEFAULT now()
);
