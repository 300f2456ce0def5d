-- Roles are cluster-wide: created once, tolerated if another database made them first.
-- rempart_owner owns every object; rempart_app is what the platform runs as: it owns
-- nothing, cannot bypass row-level security, and gets only the grants given below.
DO $$ BEGIN
  CREATE ROLE rempart_owner NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$ BEGIN
  CREATE ROLE rempart_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

GRANT CREATE, USAGE ON SCHEMA public TO rempart_owner;
