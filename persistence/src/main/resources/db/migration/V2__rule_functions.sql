-- Typed reads of stored row values for segment rules (segments.md). Each returns null when
-- the value is missing or does not conform to the type, exactly as ColumnType.parse does in
-- Java, so that rules compiled to SQL (RuleSql) and evaluated in Java (RuleEvaluator) agree.
-- Plain SQL functions, so the planner inlines them. Strings are lower-cased with ICU's root
-- locale, as Java's toLowerCase(Locale.ROOT) does: the server must have ICU collations.

-- ASCII text (as many bytes as characters) takes the fast C lower(), which is the same there
CREATE FUNCTION segmatch_string(v text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT CASE WHEN octet_length(v) = length(v) THEN lower(v COLLATE "C") COLLATE "default"
            ELSE lower(v COLLATE "und-x-icu") COLLATE "default" END
$$;

CREATE FUNCTION segmatch_number(v text) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT CASE WHEN v ~ '^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]{1,3})?$' THEN
           CASE WHEN length(v) <= 300
                  OR (length(substring(v FROM '^-?([0-9]+)')) <= 300
                      AND coalesce(length(substring(v FROM '\.([0-9]+)')), 0) <= 300)
                THEN v::numeric END
       END
$$;

CREATE FUNCTION segmatch_boolean(v text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT CASE lower(v COLLATE "C") WHEN 'true' THEN true WHEN 'yes' THEN true
                                 WHEN 'false' THEN false WHEN 'no' THEN false END
$$;

CREATE FUNCTION segmatch_date(v text) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT CASE WHEN v ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' AND substr(v, 1, 4) <> '0000' THEN
           CASE WHEN substr(v, 9, 2)::int <= extract(day FROM make_date(substr(v, 1, 4)::int, substr(v, 6, 2)::int, 1)
                                                            + interval '1 month' - interval '1 day')
                THEN v::date END
       END
$$;

CREATE FUNCTION segmatch_timestamp(v text) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT CASE WHEN v ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?([Zz]|[+-](0[0-9]|1[0-5]):[0-5][0-9])?$' THEN
           CASE WHEN segmatch_date(substr(v, 1, 10)) IS NOT NULL THEN
               (upper(replace(v, ' ', 'T')) || CASE WHEN v ~ '([Zz]|[+-][0-9]{2}:[0-9]{2})$' THEN '' ELSE 'Z' END)::timestamptz
           END
       END
$$;
