-- Destinations: a segment's members go to Google Customer Match ('google-ads'), to a Meta
-- Custom Audience ('meta'), or both. Each destination keeps its own acknowledged people,
-- refusals, queue of changes to look at, plan basis, sync runs and jobs; everything there was
-- before is Google's.
ALTER TABLE activation_member ADD COLUMN destination varchar(10) NOT NULL DEFAULT 'google-ads'
    CHECK (destination IN ('google-ads', 'meta'));
ALTER TABLE activation_member DROP CONSTRAINT activation_member_pkey;
ALTER TABLE activation_member ADD PRIMARY KEY (segment_id, destination, row_key);

ALTER TABLE activation_rejected ADD COLUMN destination varchar(10) NOT NULL DEFAULT 'google-ads'
    CHECK (destination IN ('google-ads', 'meta'));
ALTER TABLE activation_rejected DROP CONSTRAINT activation_rejected_pkey;
ALTER TABLE activation_rejected ADD PRIMARY KEY (segment_id, destination, row_key);

-- a membership change is queued once per enabled destination: each consumes its own entries
ALTER TABLE activation_queue ADD COLUMN destination varchar(10) NOT NULL DEFAULT 'google-ads'
    CHECK (destination IN ('google-ads', 'meta'));
DROP INDEX activation_queue_by_segment;
CREATE INDEX activation_queue_by_segment ON activation_queue (segment_id, destination, id);

ALTER TABLE activation_basis ADD COLUMN destination varchar(10) NOT NULL DEFAULT 'google-ads'
    CHECK (destination IN ('google-ads', 'meta'));
ALTER TABLE activation_basis DROP CONSTRAINT activation_basis_pkey;
ALTER TABLE activation_basis ADD PRIMARY KEY (segment_id, destination);

ALTER TABLE sync_run ADD COLUMN destination varchar(10) NOT NULL DEFAULT 'google-ads'
    CHECK (destination IN ('google-ads', 'meta'));
-- what Meta reports of a run's rows it could not use: a count and up to 100 samples per request
ALTER TABLE sync_run ADD COLUMN invalid_entries bigint NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN invalid_samples text;
CREATE INDEX sync_run_by_destination ON sync_run (destination, id);

ALTER TABLE sync_job ADD COLUMN destination varchar(10) NOT NULL DEFAULT 'google-ads'
    CHECK (destination IN ('google-ads', 'meta'));
ALTER TABLE sync_job ADD COLUMN invalid_entries bigint NOT NULL DEFAULT 0;
DROP INDEX sync_job_open;
CREATE INDEX sync_job_open ON sync_job (segment_id, destination) WHERE status IN ('new', 'created', 'running');

-- A version per destination, bumped when that destination's part of a segment's activation
-- settings changes ({"googleAds": 3, "meta": 1}): a plan made under another version of its
-- destination is not a basis for the next one, and a change of the other destination's
-- settings (Meta's audience recorded, say) does not make this one's next plan a full one.
ALTER TABLE segment ADD COLUMN destination_versions jsonb NOT NULL DEFAULT '{}';
UPDATE segment SET destination_versions = jsonb_build_object('googleAds', activation_version);
CREATE FUNCTION segment_destination_versions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    part text;
BEGIN
    FOREACH part IN ARRAY ARRAY['googleAds', 'meta'] LOOP
        IF (OLD.activation_json::jsonb -> part) IS DISTINCT FROM (NEW.activation_json::jsonb -> part) THEN
            NEW.destination_versions := jsonb_set(NEW.destination_versions, ARRAY[part],
                to_jsonb(coalesce((OLD.destination_versions ->> part)::bigint, 0) + 1));
        END IF;
    END LOOP;
    RETURN NEW;
END;
$$;
CREATE TRIGGER segment_destination_versions BEFORE UPDATE OF activation_json ON segment FOR EACH ROW
    WHEN (OLD.activation_json IS DISTINCT FROM NEW.activation_json) EXECUTE FUNCTION segment_destination_versions();

-- The Meta connection made in the console: a system user's access token, encrypted (AES-GCM
-- with segmatch.secret-key); never returned, shown or logged. paused_until: Meta's usage
-- headers asked to wait until then (its syncs start again after it; Google's go on).
CREATE TABLE meta_connection (
    id            smallint    PRIMARY KEY CHECK (id = 1),
    access_token  bytea,
    connected_at  timestamptz,
    needs_token   boolean     NOT NULL DEFAULT false,
    problem       text,
    paused_until  timestamptz,
    updated_at    timestamptz NOT NULL
);
