-- The people a destination refused, per job: a small index beside the job's key, so that
-- counting a job's refusals and recording them reads only those people. Without it, a plan
-- that does not know the job (a generic plan estimates each job at the table's rows over the
-- jobs it has seen) scans the people of every job ever sent.
CREATE INDEX sync_job_item_refused ON sync_job_item (job_id) WHERE rejected_code IS NOT NULL;
