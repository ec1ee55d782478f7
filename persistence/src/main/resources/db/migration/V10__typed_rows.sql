-- Typed storage: each dataset has a table of its rows' values read as their columns' types
-- (dataset_typed_<id>: row_key, then c<position> per column; null where a value is missing or
-- does not conform), written in the same transaction as the rows. Whole-dataset previews and
-- segment rebuilds compare typed columns instead of parsing every row's JSON.
-- This table names each dataset's typed table and the column layout it was built for
-- ("position:type:name" per column); a table whose layout differs from the dataset's
-- columns is not read, and is rebuilt by the next write or processing run.
CREATE TABLE dataset_typed (
    dataset_id varchar(36) PRIMARY KEY,
    table_name text        NOT NULL UNIQUE,
    layout     text        NOT NULL,
    built_at   timestamptz NOT NULL
);

-- Datasets stored before typed storage existed get their tables from the next processing run.
INSERT INTO run_request (reason) SELECT 'typed storage: build the tables of existing datasets' WHERE EXISTS (SELECT 1 FROM dataset);
