-- Syncs that cost what changed. A sync plans from the activation queue (the keys whose
-- membership or data changed since the last plan) instead of re-reading every member; a full
-- plan is made when the queue cannot be trusted to hold everything: the first plan, after the
-- identifier settings or the activation changed, for a deleted segment, and once a day.

-- 'update': a member whose row changed and who stays a member (its identifiers may have
-- changed), or a key a sync puts back to be looked at again (the adds a remove job made wait,
-- the people of a job Google failed); those have no processing run.
-- (the check's generated name depends on the history of the schema: found by its definition)
DO $$
DECLARE
    name text;
BEGIN
    FOR name IN SELECT conname FROM pg_constraint WHERE conrelid = 'activation_queue'::regclass AND contype = 'c'
            AND pg_get_constraintdef(oid) LIKE '%change%' LOOP
        EXECUTE format('ALTER TABLE activation_queue DROP CONSTRAINT %I', name);
    END LOOP;
END;
$$;
ALTER TABLE activation_queue ADD CONSTRAINT activation_queue_change_check CHECK (change IN ('add', 'remove', 'update'));
ALTER TABLE activation_queue ALTER COLUMN run_id DROP NOT NULL;

-- Bumped by every change of a segment's activation settings (on, off, consent, list): a plan
-- made under another version is not a basis for the next one (while activation was off,
-- nothing was queued).
ALTER TABLE segment ADD COLUMN activation_version bigint NOT NULL DEFAULT 0;
CREATE FUNCTION segment_activation_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.activation_version := OLD.activation_version + 1;
    RETURN NEW;
END;
$$;
CREATE TRIGGER segment_activation_version BEFORE UPDATE OF activation_json ON segment FOR EACH ROW
    WHEN (OLD.activation_json IS DISTINCT FROM NEW.activation_json) EXECUTE FUNCTION segment_activation_version();

-- What the last plan of a segment was based on: the activation version and the identifier
-- settings (roles, default phone region, Gmail canonicalisation, list). The next plan reads
-- only the queue when both are unchanged; a full plan writes full_at.
CREATE TABLE activation_basis (
    segment_id         varchar(36) PRIMARY KEY,
    activation_version bigint      NOT NULL,
    settings           text        NOT NULL,
    full_at            timestamptz NOT NULL,
    planned_at         timestamptz NOT NULL
);

-- Members due to be added again (lists forget after 540 days) are found without a scan. Not
-- (segment_id, added_at): with statistics taken before a segment's first big sync, the planner
-- would take that index for the lookups of one member by key and walk the whole segment each time.
CREATE INDEX activation_member_by_added ON activation_member (added_at);

-- A job's people are sent in position order: the job records how far it got instead of
-- updating every person it sent (a million row updates for a first sync of a million).
ALTER TABLE sync_job ADD COLUMN sent_through integer NOT NULL DEFAULT -1;
UPDATE sync_job j SET sent_through = coalesce((SELECT max(i.position) FROM sync_job_item i WHERE i.job_id = j.id AND i.sent), -1);
-- A job's people are keyed by their position: one index on integers to maintain while a
-- plan writes a million people, instead of a second one on their text keys.
ALTER TABLE sync_job_item DROP CONSTRAINT sync_job_item_pkey;
DROP INDEX sync_job_item_position;
ALTER TABLE sync_job_item ADD PRIMARY KEY (job_id, position);

-- How each sync planned: 'full' or 'changes', how many people it looked at, and how long it took.
ALTER TABLE sync_run ADD COLUMN plan_scope varchar(7) CHECK (plan_scope IN ('full', 'changes'));
ALTER TABLE sync_run ADD COLUMN plan_examined bigint;
ALTER TABLE sync_run ADD COLUMN plan_millis bigint;
