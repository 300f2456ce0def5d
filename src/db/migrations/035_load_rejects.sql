-- The reject report's lines, kept with the load (issue 19, point 4): the insurer's agent
-- reads what to fix in its file on the console, not only from the CSV the loader wrote
-- beside it. A line names a field and a stable code; the message never holds the rejected
-- value (it may be a NIR: src/registry/ingest/reject-report.ts). The first lines of each
-- load only (REJECTS_KEPT): the CSV report keeps them all.
SET ROLE rempart_owner;

CREATE TABLE load_reject (
  load_run_id bigint NOT NULL REFERENCES load_run,
  insurer_id integer REFERENCES insurer,
  ordinal integer NOT NULL CHECK (ordinal >= 1),
  line integer NOT NULL CHECK (line >= 0),
  field text NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  PRIMARY KEY (load_run_id, ordinal)
);

-- The load ledger's scope: an insurer's rows for that insurer, the directory's for the platform.
ALTER TABLE load_reject ENABLE ROW LEVEL SECURITY;
ALTER TABLE load_reject FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_platform ON load_reject
  USING (insurer_id IS NOT DISTINCT FROM current_insurer())
  WITH CHECK (insurer_id IS NOT DISTINCT FROM current_insurer());

-- Written once with its load by the loader, read by the console's API.
REVOKE UPDATE, DELETE, TRUNCATE ON load_reject FROM rempart_app;
GRANT SELECT ON load_reject TO rempart_serve;
