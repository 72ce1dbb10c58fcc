-- Satisfaction surveys (满意度调查 / 全面意见征询, requirements §2.9): the survey with the policy
-- it was opened under, its items, one row per household handed out (发放) and returned (回收),
-- and the answer to each item. Dissatisfied respondents get rows in `return_visits`
-- (migration 0006) with source 'survey' and source_id = survey_households.id.

-- The site's chosen reading of the documents (`domain::survey::policy::SurveyPolicy`); a site
-- without a row uses preset A (S0 第1/7篇).
CREATE TABLE survey_site_policies (
    site_id     uuid PRIMARY KEY REFERENCES sites (id),
    policy      jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  uuid REFERENCES staff (id)
);

CREATE TABLE surveys (
    id                  uuid PRIMARY KEY,
    site_id             uuid NOT NULL REFERENCES sites (id),
    title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
    -- A copy of the policy at opening: a later change of the site's choice leaves the numbers
    -- of an old survey as they were.
    variant             text NOT NULL,
    policy              jsonb NOT NULL,
    handed_out_on       date NOT NULL,
    status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    -- 已入住户数 and the occupied households of each 单元 when the survey was opened
    -- (`[{"building": "5", "entrance": "1", "occupied": 52}, …]`).
    occupied_households integer NOT NULL CHECK (occupied_households >= 0),
    entrances           jsonb NOT NULL DEFAULT '[]',
    created_by          uuid NOT NULL REFERENCES staff (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    closed_at           timestamptz,
    closed_by           uuid REFERENCES staff (id),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX surveys_site_idx ON surveys (site_id, handed_out_on DESC);

CREATE TABLE survey_items (
    survey_id   uuid NOT NULL REFERENCES surveys (id),
    position    smallint NOT NULL,
    code        text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,32}$'),
    name_zh     text NOT NULL,
    name_en     text NOT NULL,
    PRIMARY KEY (survey_id, code),
    UNIQUE (survey_id, position)
);

-- One household's questionnaire: handed out, then (maybe) returned with its answers.
CREATE TABLE survey_households (
    id              uuid PRIMARY KEY,
    survey_id       uuid NOT NULL REFERENCES surveys (id),
    unit_id         uuid NOT NULL REFERENCES units (id),
    handed_out_at   timestamptz NOT NULL,
    handed_out_by   uuid NOT NULL REFERENCES staff (id),
    returned_at     timestamptz,
    returned_by     uuid REFERENCES staff (id),
    -- 业户的建议.
    suggestion      text NOT NULL DEFAULT '',
    UNIQUE (survey_id, unit_id),
    CHECK ((returned_at IS NULL) = (returned_by IS NULL))
);
CREATE INDEX survey_households_returned_idx ON survey_households (survey_id) WHERE returned_at IS NOT NULL;

-- The answer to one item of a returned questionnaire. `rating` NULL is an abstention (弃权:
-- blank, or two or more boxes); `marks` keeps the boxes as entered.
CREATE TABLE survey_answers (
    household_id    uuid NOT NULL REFERENCES survey_households (id),
    survey_id       uuid NOT NULL,
    item_code       text NOT NULL,
    rating          text CHECK (rating IN ('very_satisfied', 'satisfied', 'fairly_satisfied',
                                           'not_very_satisfied', 'very_dissatisfied', 'dissatisfied')),
    marks           text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (household_id, item_code),
    FOREIGN KEY (survey_id, item_code) REFERENCES survey_items (survey_id, code)
);
