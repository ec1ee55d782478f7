-- Row keys (and the dataset and segment ids beside them in the same keys) compare byte by
-- byte ("C"), whatever the database's locale. Every lookup, join, sort and index build on a
-- key compared through the C library's locale functions before: on the bundled PostgreSQL
-- (C.UTF-8) a lookup of 100,000 keys took 1.04-1.26 s against 0.82-0.98 s, a sort of a
-- million keys 2.09-2.10 s against 1.18-1.23 s, the index build of a million memberships
-- 3.94 s against 2.80 s (docs/performance.md). For UTF-8 text the byte order is the order of
-- the characters' code points, which is the order C.UTF-8 gave: nothing sorts differently
-- there; under another locale the members' listing and keyset positions now follow code
-- points. Only the collation changes: PostgreSQL keeps the tables and rebuilds their indexes.

ALTER TABLE dataset_row
    ALTER COLUMN dataset_id TYPE varchar(36) COLLATE "C",
    ALTER COLUMN row_key TYPE text COLLATE "C";
ALTER TABLE pending_change
    ALTER COLUMN dataset_id TYPE varchar(36) COLLATE "C",
    ALTER COLUMN row_key TYPE text COLLATE "C";
ALTER TABLE row_membership
    ALTER COLUMN dataset_id TYPE varchar(36) COLLATE "C",
    ALTER COLUMN row_key TYPE text COLLATE "C";
ALTER TABLE activation_member
    ALTER COLUMN segment_id TYPE varchar(36) COLLATE "C",
    ALTER COLUMN destination TYPE varchar(10) COLLATE "C",
    ALTER COLUMN row_key TYPE text COLLATE "C";
ALTER TABLE activation_rejected
    ALTER COLUMN segment_id TYPE varchar(36) COLLATE "C",
    ALTER COLUMN destination TYPE varchar(10) COLLATE "C",
    ALTER COLUMN row_key TYPE text COLLATE "C";
ALTER TABLE sync_job_item
    ALTER COLUMN row_key TYPE text COLLATE "C";
ALTER TABLE membership_change
    ALTER COLUMN row_keys TYPE text[] COLLATE "C";
ALTER TABLE activation_queue
    ALTER COLUMN row_keys TYPE text[] COLLATE "C";

-- the typed table of each dataset (created by the server with the same collation from now on)
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT table_name FROM dataset_typed LOOP
        EXECUTE format('ALTER TABLE IF EXISTS %I ALTER COLUMN row_key TYPE text COLLATE "C"', t);
    END LOOP;
END
$$;
