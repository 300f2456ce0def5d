-- The load ledger keeps what the guards of full files need and decide (issue 13, point 4):
-- the date a file describes (its identification line), the removals it applied, those it
-- left suspended, and whether an operator replayed it on purpose.
SET ROLE rempart_owner;

ALTER TABLE load_run
  ADD COLUMN file_date date,
  ADD COLUMN removed integer NOT NULL DEFAULT 0 CHECK (removed >= 0),
  ADD COLUMN removals_suspended integer NOT NULL DEFAULT 0 CHECK (removals_suspended >= 0),
  ADD COLUMN replay boolean NOT NULL DEFAULT false;

-- A file is applied once; an operator's replay (`rempart load --replay`: an earlier
-- snapshot applied again, or a file older than the last one) is a row of its own.
ALTER TABLE load_run DROP CONSTRAINT load_run_insurer_id_file_sha256_key;
CREATE UNIQUE INDEX load_run_once ON load_run (insurer_id, file_sha256) NULLS NOT DISTINCT WHERE NOT replay;

-- The latest date applied for an insurer and a kind of file, read before every line file.
CREATE INDEX load_run_latest ON load_run (insurer_id, file_kind, file_date);
