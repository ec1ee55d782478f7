-- Activation to Google Ads Customer Match (activation.md): what Google has acknowledged, the
-- sync runs and their jobs, and the Google Ads connection.

-- The people Google has accepted into a segment's list: the identifiers sent for each member
-- (hashes and the plain country/postal code only, never raw values) and when they were last
-- added. A sync sends exactly the difference between the current members and this set; it
-- moves only when Google has accepted.
CREATE TABLE activation_member (
    segment_id  varchar(36) NOT NULL,
    row_key     text        NOT NULL,
    user_list   text        NOT NULL,
    identifiers text        NOT NULL,
    added_at    timestamptz NOT NULL,
    PRIMARY KEY (segment_id, row_key)
);

-- One sync of one segment (api.md: GET /api/activation/runs).
CREATE TABLE sync_run (
    id              bigserial   PRIMARY KEY,
    segment_id      varchar(36) NOT NULL,
    transport       varchar(12) NOT NULL,
    status          varchar(10) NOT NULL CHECK (status IN ('running', 'completed', 'waiting', 'failed')),
    reason          text        NOT NULL,
    started_at      timestamptz NOT NULL,
    ended_at        timestamptz,
    user_list       text,
    planned_adds    bigint      NOT NULL DEFAULT 0,
    planned_removes bigint      NOT NULL DEFAULT 0,
    sent            bigint      NOT NULL DEFAULT 0,
    added           bigint      NOT NULL DEFAULT 0,
    removed         bigint      NOT NULL DEFAULT 0,
    rejected        bigint      NOT NULL DEFAULT 0,
    skipped         bigint      NOT NULL DEFAULT 0,
    -- {"INVALID_SHA256_FORMAT": 3, …}
    rejected_codes  text        NOT NULL DEFAULT '{}',
    list_size       bigint,
    match_rate      integer,
    request_ids     text        NOT NULL DEFAULT '',
    error           text
);
CREATE INDEX sync_run_by_segment ON sync_run (segment_id, id);

-- A Google Ads offline user data job (or, for the Data Manager API, one synchronous batch):
-- adds or removes, never both. Its id is the job's externalId, so a retried create cannot make
-- a second job.
CREATE TABLE sync_job (
    id               bigserial   PRIMARY KEY,
    sync_run_id      bigint      NOT NULL,
    segment_id       varchar(36) NOT NULL,
    user_list        text        NOT NULL,
    kind             varchar(6)  NOT NULL CHECK (kind IN ('add', 'remove')),
    -- created: the job exists at Google; adding: operations being sent; running: :run
    -- accepted; success/failed: Google's final status, applied to activation_member
    status           varchar(10) NOT NULL CHECK (status IN ('new', 'created', 'running', 'success', 'failed', 'abandoned')),
    resource_name    text,
    match_rate_range text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    error            text
);
CREATE INDEX sync_job_open ON sync_job (segment_id) WHERE status IN ('new', 'created', 'running');

-- The people a job carries; sent once their addOperations call was accepted; rejected with
-- Google's error code when a partial failure named them.
CREATE TABLE sync_job_item (
    job_id        bigint  NOT NULL,
    row_key       text    NOT NULL,
    identifiers   text    NOT NULL,
    position      integer NOT NULL,
    sent          boolean NOT NULL DEFAULT false,
    rejected_code text,
    PRIMARY KEY (job_id, row_key)
);
CREATE INDEX sync_job_item_position ON sync_job_item (job_id, position);

-- The Google Ads connection made in the console: the refresh token, encrypted (AES-GCM with
-- segmatch.secret-key); never returned, shown or logged.
CREATE TABLE google_ads_connection (
    id              smallint    PRIMARY KEY CHECK (id = 1),
    refresh_token   bytea,
    connected_at    timestamptz,
    needs_reconnect boolean     NOT NULL DEFAULT false,
    problem         text,
    updated_at      timestamptz NOT NULL
);

-- OAuth states handed out by /oauth/google-ads/start, each usable once within ten minutes.
CREATE TABLE oauth_state (
    state      varchar(64) PRIMARY KEY,
    created_at timestamptz NOT NULL
);

-- A sync of all activated segments (one batch job execution); at most one runs at a time,
-- whatever the number of application instances.
CREATE TABLE sync_batch (
    id           bigserial   PRIMARY KEY,
    status       varchar(10) NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    reason       text        NOT NULL,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL,
    ended_at     timestamptz,
    error        text
);
CREATE UNIQUE INDEX sync_batch_one_running ON sync_batch ((true)) WHERE status = 'running';
ALTER TABLE sync_run ADD COLUMN batch_id bigint;
