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
