-- People Google refused (a per-row error such as INVALID_SHA256_FORMAT) with the identifiers
-- they were sent with: not sent again until their identifiers change (activation.md: a
-- per-row error is final for those identifiers).
CREATE TABLE activation_rejected (
    segment_id  varchar(36) NOT NULL,
    row_key     text        NOT NULL,
    identifiers text        NOT NULL,
    code        text        NOT NULL,
    rejected_at timestamptz NOT NULL,
    PRIMARY KEY (segment_id, row_key)
);
