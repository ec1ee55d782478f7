-- The people due to be added again (added over 500 days ago; lists forget after 540) were found
-- through an index on the time each person was added, which every acknowledgement extended
-- person by person (a fifth to a third of the acknowledgement's time). Now each acknowledged set
-- keeps a bound instead: everyone in it not yet planned to be added again was added at or after
-- added_since. Acknowledgements set it when it has none; a plan that finds it older than its
-- cut-off takes the people due and moves it to the oldest of the others.
ALTER TABLE activation_set ADD COLUMN added_since timestamptz;
UPDATE activation_set s SET added_since = coalesce((SELECT min(a.added_at) FROM activation_member a WHERE a.set_id = s.id), now());
DROP INDEX activation_member_by_added;
