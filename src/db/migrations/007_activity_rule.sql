-- One definition of "practising on that day", used by every access check (inlined by
-- the planner): an activity counts from its first day to its last, both included.
SET ROLE rempart_owner;

CREATE FUNCTION active_on(started_on date, ended_on date, day date) RETURNS boolean LANGUAGE sql IMMUTABLE
AS $$ SELECT started_on <= day AND (ended_on IS NULL OR ended_on >= day) $$;
