-- The access log (THREATS.md points 4, 9, 10; attacker A9): one row per disclosure or
-- lookup attempt, appended in the transaction that discloses, then sequenced off the hot
-- path into an RFC 6962 Merkle tree whose signed checkpoints can be held outside the
-- database (src/audit). Three tables, all insert-only for the application: refused by the
-- grants, and again by triggers that hold even for the owner.
SET ROLE rempart_owner;

-- Every change to the log is refused, whoever asks. Removing old months (retention) is
-- done by detaching or dropping whole partitions, never by DELETE or TRUNCATE.
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION 'journal d''accès en ajout seul : % refusé sur %', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;

-- id: from a sequence (not an identity column: the same definition on every partition);
-- at: when the transaction started; xid: the inserting transaction (see src/audit/sequencer.ts).
-- The application chooses none of the three (column grants below): it cannot backdate a
-- record, nor give it an old xid that the sequencer would never pick up.
-- No foreign keys: a key check locks the insurer, professional and site rows shared by every
-- concurrent disclosure, and a log must outlive the rows it names.
CREATE SEQUENCE access_record_id_seq AS bigint;
CREATE TABLE access_record (
  id bigint NOT NULL DEFAULT nextval('access_record_id_seq'),
  at timestamptz NOT NULL DEFAULT now(),
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  -- NULL: a miss on an AMC number that names no insurer.
  insurer_id integer,
  -- The internal pseudonymous id; a NIR (13 digits, first one 1 to 8) cannot fit below 10^12.
  beneficiary_id bigint CHECK (beneficiary_id BETWEEN 1 AND 999999999999),
  professional_id bigint NOT NULL,
  site_id bigint NOT NULL,
  client_id text CHECK (length(client_id) BETWEEN 1 AND 64),
  -- A hash of the session (src/access/people/sessions.ts), never the cookie.
  session_ref text CHECK (session_ref ~ '^[A-Za-z0-9_-]{8,128}$'),
  ip text NOT NULL CHECK (ip ~ '^[0-9A-Fa-f:.]{2,45}$'),
  device text CHECK (length(device) <= 200),
  purpose text NOT NULL CHECK (purpose ~ '^[a-z][a-z_]{1,31}$'),
  -- Care domains or field names disclosed, sorted, in one dimension, no NULL.
  disclosed text[] NOT NULL DEFAULT '{}'
    CHECK (array_position(disclosed, NULL) IS NULL AND coalesce(array_ndims(disclosed), 1) = 1),
  result text NOT NULL CHECK (result ~ '^[a-z][a-z_]{1,31}$'),
  PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
ALTER SEQUENCE access_record_id_seq OWNED BY access_record.id;

-- The sequencer reads what became final since its last run in (xid, id) order.
CREATE INDEX access_record_xid ON access_record (xid, id);
-- Who saw this beneficiary (point 10), what this account saw (point 9).
CREATE INDEX access_record_beneficiary ON access_record (insurer_id, beneficiary_id, at);
CREATE INDEX access_record_professional ON access_record (professional_id, at);

-- Per row (cloned onto every partition, present and future), and per statement: a
-- statement trigger refuses even when row-level security leaves no row to act on, so an
-- attempt always fails loudly instead of "succeeding" on zero rows.
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON access_record
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER no_rewrite BEFORE UPDATE OR DELETE OR TRUNCATE ON access_record
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- A partition is reached only through access_record (row-level security is checked on the
-- table named in a query: a partition named directly would bypass it), and a statement
-- naming a partition does not fire the parent's statement trigger: each gets its own.
CREATE FUNCTION audit_seal_partition(partition regclass) RETURNS void LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  EXECUTE format('REVOKE ALL ON %s FROM rempart_app, PUBLIC', partition);
  EXECUTE format('CREATE TRIGGER no_rewrite BEFORE UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()', partition);
END $$;

-- Rows whose month has no partition yet land here rather than fail the disclosure.
CREATE TABLE access_record_default PARTITION OF access_record DEFAULT;
SELECT audit_seal_partition('access_record_default');

-- One partition per calendar month (UTC), named access_record_YYYY_MM, so that retention
-- can later detach or drop whole months. Created apart then attached: attaching locks the
-- parent in SHARE UPDATE EXCLUSIVE mode only, so disclosures keep inserting meanwhile.
-- A month some of whose rows already sit in the DEFAULT partition is left there (moving
-- them would take a DELETE, which the log refuses); the function says so and goes on.
CREATE FUNCTION audit_create_month(month date) RETURNS text LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  month_start date := date_trunc('month', month)::date;
  part text := 'access_record_' || to_char(month_start, 'YYYY_MM');
  starts timestamptz := month_start::timestamp AT TIME ZONE 'UTC';
  ends timestamptz := (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';
BEGIN
  IF to_regclass(part) IS NOT NULL THEN RETURN NULL; END IF;
  IF EXISTS (SELECT 1 FROM access_record_default WHERE at >= starts AND at < ends) THEN
    RAISE WARNING 'journal d''accès : des lignes de % sont dans la partition par défaut, % non créée', to_char(month_start, 'YYYY-MM'), part;
    RETURN NULL;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE access_record INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
  EXECUTE format('ALTER TABLE access_record ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part,
                 to_char(starts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), to_char(ends AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
  PERFORM audit_seal_partition(part::regclass);
  RETURN part;
END $$;

-- The current and the next month, as the owner: run by the sequencer at every pass (two
-- catalogue look-ups when both exist), so a month's partition exists weeks before it starts.
CREATE FUNCTION audit_ensure_partitions() RETURNS SETOF text LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
  created text;
BEGIN
  FOR step IN 0..1 LOOP
    BEGIN
      created := audit_create_month((this_month + make_interval(months => step))::date);
    EXCEPTION WHEN duplicate_table OR duplicate_object THEN
      created := NULL; -- another session made it first
    END;
    IF created IS NOT NULL THEN RETURN NEXT created; END IF;
  END LOOP;
END $$;

REVOKE ALL ON FUNCTION audit_refuse_change(), audit_seal_partition(regclass), audit_create_month(date), audit_ensure_partitions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_ensure_partitions() TO rempart_app;
SELECT audit_ensure_partitions();

-- Leaves of the Merkle tree, in sequence order: leaf_index 0, 1, 2… without gap, each
-- naming one record and the hash of its canonical encoding (src/audit/leaf.ts).
CREATE TABLE access_leaf (
  leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
  record_at timestamptz NOT NULL,
  record_id bigint NOT NULL,
  leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
  -- A record is sequenced once; record_at lets a dropped month's leaves be told apart.
  UNIQUE (record_id, record_at)
);

-- Signed tree heads. watermark: every record whose xid is below it is among the first
-- tree_size leaves; frontier: the right edge of the tree (the roots of its perfect
-- subtrees, 32 bytes each, left to right), so that the next pass appends without
-- re-reading the leaves. Neither is signed: both are checked against the leaves by
-- `rempart audit verify`, and the sequencer checks the frontier against root_hash.
CREATE TABLE audit_checkpoint (
  tree_size bigint PRIMARY KEY CHECK (tree_size > 0),
  root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
  created_at timestamptz NOT NULL,
  key_id text NOT NULL,
  signature bytea NOT NULL CHECK (octet_length(signature) = 64),
  watermark xid8 NOT NULL,
  frontier bytea NOT NULL CHECK (octet_length(frontier) % 32 = 0)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['access_leaf', 'audit_checkpoint'] LOOP
    EXECUTE format('CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()', t);
    EXECUTE format('CREATE TRIGGER no_rewrite BEFORE UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()', t);
  END LOOP;
END $$;

-- Read and append, nothing else. The default privileges of 001 granted UPDATE and DELETE:
-- start from nothing. On access_record the application names only the described columns.
REVOKE ALL ON access_record, access_leaf, audit_checkpoint FROM rempart_app, PUBLIC;
GRANT SELECT ON access_record, access_leaf, audit_checkpoint TO rempart_app;
GRANT INSERT (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result)
  ON access_record TO rempart_app;
GRANT INSERT ON access_leaf, audit_checkpoint TO rempart_app;
REVOKE ALL ON SEQUENCE access_record_id_seq FROM rempart_app, PUBLIC;
GRANT USAGE ON SEQUENCE access_record_id_seq TO rempart_app;

-- Row-level security, forced even for the owner. Unlike the registry's tables, the
-- platform scope (current_insurer() IS NULL) sees and writes every row: the sequencer and
-- the verifier read the whole log in one order, and a miss on an unknown AMC is logged
-- before any insurer is known (insurer_id NULL). An insurer-scoped transaction sees only
-- its insurer's rows and can log only for that insurer: `insurer_id = current_insurer()`
-- is NULL, hence false, for a row without insurer, so those rows stay platform-only.
ALTER TABLE access_record ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_record FORCE ROW LEVEL SECURITY;
CREATE POLICY insurer_or_platform ON access_record
  USING (current_insurer() IS NULL OR insurer_id = current_insurer())
  WITH CHECK (current_insurer() IS NULL OR insurer_id = current_insurer());

-- Leaves and checkpoints are hashes only: anyone may read them (an inclusion proof needs
-- the neighbours' hashes); only the platform scope, where the sequencer runs, appends.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['access_leaf', 'audit_checkpoint'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY readable ON %I FOR SELECT USING (true)', t);
    EXECUTE format('CREATE POLICY platform_appends ON %I FOR INSERT WITH CHECK (current_insurer() IS NULL)', t);
  END LOOP;
END $$;
