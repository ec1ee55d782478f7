-- How many row changes are pending, kept beside them: GET /api/processing and the live events
-- report it, asked again and again while a run works through a big upload. Counted with
-- count(*), each request read every page of pending_change, a table that a first upload of ten
-- million rows leaves hundreds of megabytes large; larger than a quarter of the buffer pool,
-- each such scan went through a small ring of buffers and read the table again from the
-- operating system: 598,690 pages read in the 15 s of the benchmark's 10M membership run,
-- which polls the status ten times a second (docs/performance.md).
--
-- Each statement that inserts or deletes pending changes adds one row here with how many it
-- inserted (positive) or deleted (negative), from the statement's own transition table; the
-- count is the sum. It is exact in any snapshot, as count(*) was: a row here commits or rolls
-- back with the statement's transaction. Rows an upsert only updated are not counted (they
-- were pending already). A processing run folds the rows into one when it ends.
CREATE TABLE pending_change_count (
    n bigint NOT NULL
);

INSERT INTO pending_change_count SELECT count(*) FROM pending_change;

CREATE FUNCTION pending_change_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO pending_change_count SELECT count(*) FROM inserted_changes HAVING count(*) > 0;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO pending_change_count SELECT -count(*) FROM deleted_changes HAVING count(*) > 0;
    ELSE
        -- TRUNCATE holds the table alone: nothing is pending any more
        DELETE FROM pending_change_count;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER pending_change_inserted AFTER INSERT ON pending_change
    REFERENCING NEW TABLE AS inserted_changes FOR EACH STATEMENT EXECUTE FUNCTION pending_change_counted();
CREATE TRIGGER pending_change_deleted AFTER DELETE ON pending_change
    REFERENCING OLD TABLE AS deleted_changes FOR EACH STATEMENT EXECUTE FUNCTION pending_change_counted();
CREATE TRIGGER pending_change_truncated AFTER TRUNCATE ON pending_change
    FOR EACH STATEMENT EXECUTE FUNCTION pending_change_counted();
