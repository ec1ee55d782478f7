-- Each page of a dataset's typed table keeps a tenth of its space free (fillfactor 90), as the
-- rows' table does since V17: a re-upload now updates a changed row's typed row in place
-- instead of deleting it and writing it again at the end, and with room on the page the new
-- version stays there, with no new entry in the key index. Tables built from now on are
-- created so; those that exist follow for the pages written from now on.
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT table_name FROM dataset_typed LOOP
        IF to_regclass(t) IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %I SET (fillfactor = 90)', t);
        END IF;
    END LOOP;
END $$;
