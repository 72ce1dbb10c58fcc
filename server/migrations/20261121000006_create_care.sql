-- Customer care (requirements §2.6, §2.7): complaints (投诉) and return visits (回访).
-- The domain records are kept whole as jsonb (like work orders) with queryable copies of the
-- columns the boards and reports filter on.

-- 《投诉处理意见表》: one row per complaint, valid or not (an invalid one keeps its explanation).
CREATE TABLE complaints (
    id            uuid PRIMARY KEY,
    site_id       uuid NOT NULL REFERENCES sites (id),
    unit_id       uuid REFERENCES units (id),
    -- TS-2026-11-0007, reserved like the repair serials (site_counters).
    number        text NOT NULL UNIQUE,
    channel       text NOT NULL CHECK (channel IN ('verbal', 'phone', 'written', 'visit', 'survey')),
    status        text NOT NULL,
    -- 'major' | 'important' | 'minor' as classified (the one-month escalation is computed, and
    -- copied here by the nightly-free read path: see `domain::care::complaint::effective_class`).
    class         text CHECK (class IN ('major', 'important', 'minor')),
    valid         boolean,
    department    text,
    registered_at timestamptz NOT NULL,
    closed_at     timestamptz,
    -- `domain::care::complaint::Complaint`
    doc           jsonb NOT NULL,
    version       bigint NOT NULL DEFAULT 1,
    created_by    uuid NOT NULL REFERENCES staff (id),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX complaints_site_idx ON complaints (site_id, registered_at DESC);

-- Complaint records are kept like repair records (S3 篇3: 保存期3年).
CREATE FUNCTION refuse_complaint_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.closed_at IS NULL OR OLD.closed_at > now() - make_interval(years => retention_years(OLD.site_id)) THEN
        RAISE EXCEPTION 'retention: complaint % must be kept for % years after it is closed',
            OLD.number, retention_years(OLD.site_id)
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER complaints_retention BEFORE DELETE ON complaints
    FOR EACH ROW EXECUTE FUNCTION refuse_complaint_delete();

-- 回访 tasks and their records. A task is scheduled from closed work (a complaint, a repair, a
-- survey answer, a month-end top-up) and done by phone or at the door.
CREATE TABLE return_visits (
    id            uuid PRIMARY KEY,
    site_id       uuid NOT NULL REFERENCES sites (id),
    unit_id       uuid NOT NULL REFERENCES units (id),
    -- What it follows up.
    source        text NOT NULL CHECK (source IN ('complaint', 'repair', 'survey')),
    source_id     uuid NOT NULL,
    -- `domain::care::return_visit::VisitReason` in snake_case, e.g. 'complaint_closed',
    -- 'repair_dissatisfied', 'repair_unrated', 'repair_unsigned', 'repair_policy',
    -- 'repair_top_up', 'survey_dissatisfied'.
    reason        text NOT NULL,
    -- 1 for the first visit; 2 for a second one where the policy asks for it (urgent: again
    -- after 2 days; leak: again after rain).
    visit_no      smallint NOT NULL DEFAULT 1 CHECK (visit_no BETWEEN 1 AND 9),
    mandatory     boolean NOT NULL,
    -- The window: not before `earliest_at`, due by `due_at`.
    earliest_at   timestamptz NOT NULL,
    due_at        timestamptz NOT NULL,
    -- Text shown on the task (the order's or complaint's number and content, the survey item).
    subject       text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'unreachable')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- `domain::care::return_visit::VisitRecord` once done.
    record        jsonb,
    done_at       timestamptz,
    done_by       uuid REFERENCES staff (id),
    -- A problem found on the visit: the written rectification notice to the technician (≤12 h).
    rectification_due_at timestamptz,
    rectification_sent_at timestamptz,
    -- A complaint opened from the visit.
    complaint_id  uuid REFERENCES complaints (id),
    UNIQUE (source, source_id, reason, visit_no),
    CHECK ((status = 'open') = (done_at IS NULL))
);
CREATE INDEX return_visits_site_due_idx ON return_visits (site_id, status, due_at);

-- `domain::care::policy::CarePolicy` per site; a site without a row runs on the default.
CREATE TABLE care_policies (
    site_id    uuid PRIMARY KEY REFERENCES sites (id),
    policy     jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid REFERENCES staff (id)
);
