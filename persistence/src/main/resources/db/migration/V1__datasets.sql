-- Datasets: one customer table each, filled by CSV uploads.
CREATE TABLE dataset (
    id                   varchar(36)  PRIMARY KEY,
    name                 varchar(200) NOT NULL,
    key_column           text         NOT NULL,
    row_count            bigint       NOT NULL DEFAULT 0,
    -- identifier roles for Customer Match: the column that holds each, or null
    id_email             text,
    id_phone             text,
    id_first_name        text,
    id_last_name         text,
    id_country_code      text,
    id_postal_code       text,
    default_phone_region varchar(2),
    created_at           timestamptz  NOT NULL,
    updated_at           timestamptz  NOT NULL,
    version              bigint       NOT NULL DEFAULT 0
);

-- The columns of a dataset, in file order, with their types (segments.md).
CREATE TABLE dataset_column (
    dataset_id varchar(36) NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    position   integer     NOT NULL,
    name       text        NOT NULL,
    type       varchar(16) NOT NULL CHECK (type IN ('string', 'number', 'boolean', 'date', 'timestamp')),
    PRIMARY KEY (dataset_id, position)
);

-- The rows. data maps column name to the trimmed text that was uploaded; a missing
-- value is absent. No foreign key to dataset: a bulk upload would pay one lookup per
-- row for it; the dataset boundary deletes rows itself.
CREATE TABLE dataset_row (
    dataset_id varchar(36) NOT NULL,
    row_key    text        NOT NULL,
    data       jsonb       NOT NULL,
    -- the defaults serve bulk loads (COPY), which would otherwise parse two timestamps per row
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset_id, row_key)
);

-- Change capture: one entry per row that changed (inserted, updated or deleted) and
-- has not been evaluated yet. Written in the same transaction as the row change.
-- The evaluation job consumes entries by deleting them (only when seq is still the one
-- it read), so a transaction that commits late is never missed: there is no watermark.
-- A row that changes again before evaluation keeps one entry with a new seq.
CREATE SEQUENCE pending_change_seq;
CREATE TABLE pending_change (
    dataset_id varchar(36) NOT NULL,
    row_key    text        NOT NULL,
    seq        bigint      NOT NULL DEFAULT nextval('pending_change_seq'),
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset_id, row_key)
);

-- Upload history: the summary of every upload that was applied.
CREATE TABLE upload (
    id           varchar(36) PRIMARY KEY,
    dataset_id   varchar(36) NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    mode         varchar(10) NOT NULL,
    file_name    text,
    size_bytes   bigint      NOT NULL,
    encoding     varchar(20) NOT NULL,
    delimiter    varchar(4)  NOT NULL,
    key_column   text        NOT NULL,
    read_count   bigint      NOT NULL,
    inserted     bigint      NOT NULL,
    updated      bigint      NOT NULL,
    unchanged    bigint      NOT NULL,
    rejected     bigint      NOT NULL,
    duplicates   bigint      NOT NULL,
    deleted      bigint      NOT NULL,
    columns_json text        NOT NULL,
    errors_json  text        NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL
);
CREATE INDEX upload_by_dataset ON upload (dataset_id, finished_at DESC);
