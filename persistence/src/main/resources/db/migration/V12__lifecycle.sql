-- Each start of a Segmatch server registers itself and holds a session-level advisory lock
-- (key pair 0x5E6A, id) on a connection of its own for as long as it runs. PostgreSQL releases
-- the lock the moment that connection dies with its server, so a run or sync whose owner's lock
-- can be taken has lost its server: it is recognised within seconds, not after a timeout.
CREATE TABLE server_instance (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host        text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE processing_run ADD COLUMN owner integer;
ALTER TABLE sync_batch ADD COLUMN owner integer;

-- History retention (segmatch.history.retention): each purge, what it removed
CREATE TABLE history_purge (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz,
    cutoff           timestamptz NOT NULL,
    reason           text NOT NULL,
    log_entries      bigint NOT NULL DEFAULT 0,
    processing_runs  bigint NOT NULL DEFAULT 0,
    syncs            bigint NOT NULL DEFAULT 0,
    sync_jobs        bigint NOT NULL DEFAULT 0,
    error            text
);
CREATE INDEX processing_run_by_end ON processing_run (ended_at) WHERE status <> 'running';
CREATE INDEX sync_job_by_update ON sync_job (updated_at) WHERE status IN ('success', 'failed', 'abandoned');
CREATE INDEX segment_run_by_run ON segment_run (run_id);

-- Erasure requests ("forget this person"). The rows go at once; the keys are kept only until the
-- person's removal from every Customer Match list is acknowledged and the enter/exit log and
-- sync records no longer hold them, then cleared: what stays is a count.
CREATE TABLE erasure (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    requested_by  text NOT NULL,
    matched_by    varchar(5) NOT NULL CHECK (matched_by IN ('key', 'email', 'phone')),
    rows_erased   integer NOT NULL,
    datasets      integer NOT NULL,
    status        varchar(7) NOT NULL CHECK (status IN ('pending', 'done')),
    completed_at  timestamptz,
    -- {dataset id, row key} pairs, null once done
    row_refs      jsonb
);
CREATE INDEX erasure_pending ON erasure (id) WHERE status = 'pending';
