-- A plan's people go to Google Ads in jobs of at most a million (Google recommends no more
-- operations per job), sent and settled one after the other.
-- into_empty_set: the destination's set of the segment held nobody when the plan was made. Only
-- the jobs of that plan settle before this one (no plan is made while a job of the segment is
-- open), and they carry other people, so none of this job's people can be in the set when it
-- settles: its acknowledgement is a plain insert, without a look into the set's key per person.
ALTER TABLE sync_job ADD COLUMN into_empty_set boolean NOT NULL DEFAULT false;
-- how long recording the destination's acceptance took, in milliseconds (null until then)
ALTER TABLE sync_job ADD COLUMN recorded_millis integer;
-- the people a job carries (written when the plan made it; counted here for the jobs before)
ALTER TABLE sync_job ADD COLUMN people integer NOT NULL DEFAULT 0;
UPDATE sync_job j SET people = (SELECT count(*) FROM sync_job_item i WHERE i.job_id = j.id);
