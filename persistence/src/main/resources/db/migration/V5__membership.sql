-- Membership: who is in each segment, the enter/exit history, the activation queue, and the
-- processing runs that keep them current (segments.md "Membership", api.md "Processing").

-- A segment's definition version: incremented by every change of its rule (or of the type of
-- a column it uses); the run that rebuilds it records the version it evaluated. A deleted
-- segment stays as a tombstone until a run has recorded its members' exits.
ALTER TABLE segment
    ADD COLUMN definition_version bigint NOT NULL DEFAULT 1,
    ADD COLUMN evaluated_version  bigint NOT NULL DEFAULT 0,
    ADD COLUMN deleted_at         timestamptz;

CREATE TABLE processing_run (
    id                 bigserial    PRIMARY KEY,
    status             varchar(10)  NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    started_at         timestamptz  NOT NULL,
    ended_at           timestamptz,
    -- renewed by every chunk: a run whose heartbeat is older than a few minutes was lost
    heartbeat_at       timestamptz  NOT NULL,
    reason             text         NOT NULL,
    rows_evaluated     bigint       NOT NULL DEFAULT 0,
    segments_evaluated bigint       NOT NULL DEFAULT 0,
    entered            bigint       NOT NULL DEFAULT 0,
    exited             bigint       NOT NULL DEFAULT 0,
    execution_id       bigint,
    error              text
);
-- at most one running run, whatever the number of application instances
CREATE UNIQUE INDEX processing_run_one_running ON processing_run ((true)) WHERE status = 'running';

-- Requests for a prompt run (an upload, a row change, a segment change): inserted by the
-- writer's transaction, deleted by the run that covers them.
CREATE TABLE run_request (
    id           bigserial   PRIMARY KEY,
    requested_at timestamptz NOT NULL DEFAULT now(),
    reason       text        NOT NULL
);

-- No foreign key to segment: the processing run is the only writer, a rebuild inserts
-- hundreds of thousands of rows at once (a per-row check measured 25% of a rebuild), and a
-- deleted segment's members are removed by the run that retires it.
CREATE TABLE segment_member (
    segment_id varchar(36) NOT NULL,
    row_key    text        NOT NULL,
    since      timestamptz NOT NULL,
    PRIMARY KEY (segment_id, row_key)
);

-- The enter/exit history; run_id names the run that caused the change.
CREATE TABLE membership_change (
    id         bigserial   PRIMARY KEY,
    segment_id varchar(36) NOT NULL,
    row_key    text        NOT NULL,
    change     varchar(5)  NOT NULL CHECK (change IN ('enter', 'exit')),
    at         timestamptz NOT NULL,
    run_id     bigint      NOT NULL
);
CREATE INDEX membership_change_by_segment ON membership_change (segment_id, id);

-- Which runs changed which segment, and how (the console's "runs that changed it"): one row
-- per run and segment, written with the changes.
CREATE TABLE segment_run (
    segment_id varchar(36) NOT NULL,
    run_id     bigint      NOT NULL,
    entered    bigint      NOT NULL DEFAULT 0,
    exited     bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (segment_id, run_id)
);

-- What the activation sync has to send: written in the transaction of the membership change
-- it describes, for segments whose activation is enabled; consumed by the sync job.
CREATE TABLE activation_queue (
    id         bigserial   PRIMARY KEY,
    segment_id varchar(36) NOT NULL,
    row_key    text        NOT NULL,
    change     varchar(6)  NOT NULL CHECK (change IN ('add', 'remove')),
    queued_at  timestamptz NOT NULL,
    run_id     bigint      NOT NULL
);
CREATE INDEX activation_queue_by_segment ON activation_queue (segment_id, id);
