-- Segments: a rule over one dataset, its membership state and its activation settings.
CREATE TABLE segment (
    id                varchar(36)  PRIMARY KEY,
    name              varchar(200) NOT NULL,
    dataset_id        varchar(36)  NOT NULL REFERENCES dataset (id),
    logic             varchar(3)   NOT NULL CHECK (logic IN ('AND', 'OR')),
    -- the conditions as the API returns them (JSON array), validated against the dataset
    conditions_json   text         NOT NULL,
    -- {"googleAds": {...}} as the API returns it, or null
    activation_json   text,
    member_count      bigint       NOT NULL DEFAULT 0,
    status            varchar(12)  NOT NULL DEFAULT 'pending'
                                   CHECK (status IN ('pending', 'evaluating', 'live', 'failed')),
    error             text,
    last_evaluated_at timestamptz,
    last_synced_at    timestamptz,
    created_at        timestamptz  NOT NULL,
    updated_at        timestamptz  NOT NULL
);
CREATE INDEX segment_by_dataset ON segment (dataset_id);
