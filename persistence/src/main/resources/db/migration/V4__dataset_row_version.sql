-- A counter that every change to a dataset's rows (upload, row write, delete) increments in
-- the same transaction: the builder's preview keeps the first rows of a dataset in memory and
-- uses this number to know when they are stale.
ALTER TABLE dataset ADD COLUMN row_version bigint NOT NULL DEFAULT 0;
