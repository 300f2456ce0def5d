-- Retention of the access log (issue 6 point 6): whole months of records older than the
-- retention are dropped, their partition with them; their leaves (hashes only, no personal
-- data) stay, so every signed checkpoint and every proof stays valid. Each dropped month
-- leaves a drop record signed with the audit key (src/audit/retention-message.ts), which
-- `rempart audit verify` accepts in place of the month's records, and only for them.
SET ROLE rempart_owner;

-- month: the first day of the month (UTC); first_leaf, last_leaf: the lowest and highest
-- leaf_index whose record_at falls in the month (NULL when none): a month's leaves are not
-- contiguous (a record's place follows its transaction id, not its time); leaves_digest:
-- SHA-256 of those leaves' hashes concatenated in leaf order, which pins exactly which
-- leaves lost their record.
CREATE TABLE audit_retention_drop (
  month date PRIMARY KEY CHECK (month = date_trunc('month', month)::date),
  partition text NOT NULL CHECK (partition = 'access_record_' || to_char(month, 'YYYY_MM')),
  records bigint NOT NULL CHECK (records >= 0),
  first_leaf bigint CHECK (first_leaf >= 0),
  last_leaf bigint CHECK (last_leaf >= first_leaf),
  leaves_digest bytea NOT NULL CHECK (octet_length(leaves_digest) = 32),
  dropped_at timestamptz NOT NULL,
  key_id text NOT NULL,
  signature bytea NOT NULL CHECK (octet_length(signature) = 64),
  CHECK ((records = 0) = (first_leaf IS NULL) AND (first_leaf IS NULL) = (last_leaf IS NULL))
);

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON audit_retention_drop FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER no_rewrite BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_retention_drop FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

REVOKE ALL ON audit_retention_drop FROM rempart_app, PUBLIC;
GRANT SELECT, INSERT ON audit_retention_drop TO rempart_app;
ALTER TABLE audit_retention_drop ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_retention_drop FORCE ROW LEVEL SECURITY;
CREATE POLICY readable ON audit_retention_drop FOR SELECT USING (true);
CREATE POLICY platform_appends ON audit_retention_drop FOR INSERT WITH CHECK (current_insurer() IS NULL);

-- A month's leaves, found without reading every leaf ever appended (leaves are kept forever).
CREATE INDEX access_leaf_record_at ON access_leaf (record_at, leaf_index);

-- Months older than `before` whose records sit in the DEFAULT partition (written before
-- their month had a partition): they cannot be dropped as a whole, retention reports them.
-- Counts only; the application cannot read that partition itself (009).
CREATE FUNCTION audit_default_months(before timestamptz) RETURNS TABLE (month date, records bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT date_trunc('month', at AT TIME ZONE 'UTC')::date, count(*)
    FROM access_record_default WHERE at < before GROUP BY 1 ORDER BY 1
$$;

-- Drops one month's partition, for the application, on conditions the database enforces
-- whoever asks (a compromised application role included):
--  * the month ended at least `retention_months` (1 or more) whole months before the
--    current one, so the current and the previous month are never dropped;
--  * the partition is the month's own (its bounds are checked, not only its name);
--  * every record of it is a leaf, and the month has as many leaves as records;
--  * this very transaction inserted the month's drop record, with those counts and leaves:
--    no month goes without its record, no record is left behind by a failed drop.
-- The signature cannot be checked here (no Ed25519 in PostgreSQL): a forged one is caught
-- by `rempart audit verify`. The partition is locked in SHARE mode first, which waits for
-- any transaction still writing to it and keeps others out until the drop. Dropping a
-- partition locks access_record itself for a moment, and disclosures queue behind a
-- waiting lock: lock_timeout bounds that wait to 2 s, after which the month is retried on
-- the next run rather than holding disclosures up.
CREATE FUNCTION audit_drop_month(month date, retention_months integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
SET TimeZone = 'UTC'
SET DateStyle = 'ISO'
SET lock_timeout = '2s'
AS $$
DECLARE
  month_start date := date_trunc('month', month)::date;
  part text := 'access_record_' || to_char(month_start, 'YYYY_MM');
  starts timestamptz := month_start::timestamp AT TIME ZONE 'UTC';
  ends timestamptz := (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';
  cutoff timestamptz;
  counted bigint;
  leaves bigint;
  first_index bigint;
  last_index bigint;
  unsequenced boolean;
BEGIN
  IF retention_months IS NULL OR retention_months < 1 THEN
    RAISE EXCEPTION 'rétention de % mois refusée : au moins 1', retention_months USING ERRCODE = 'insufficient_privilege';
  END IF;
  cutoff := (date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => retention_months)) AT TIME ZONE 'UTC';
  IF ends > cutoff THEN
    RAISE EXCEPTION 'mois % trop récent pour une rétention de % mois', to_char(month_start, 'YYYY-MM'), retention_months USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'access_record'::regclass AND c.relname = part AND c.relnamespace = 'public'::regnamespace
       AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES FROM (%L) TO (%L)', starts, ends)
  ) THEN
    RAISE EXCEPTION 'pas de partition % pour le mois %', part, to_char(month_start, 'YYYY-MM') USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;

  EXECUTE format('LOCK TABLE %I IN SHARE MODE', part);
  EXECUTE format('SELECT count(*) FROM %I', part) INTO counted;
  SELECT count(*), min(leaf_index), max(leaf_index) INTO leaves, first_index, last_index
    FROM access_leaf WHERE record_at >= starts AND record_at < ends;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I r WHERE NOT EXISTS (SELECT 1 FROM access_leaf l WHERE l.record_id = r.id AND l.record_at = r.at))', part)
    INTO unsequenced;
  IF unsequenced OR leaves <> counted THEN
    RAISE EXCEPTION 'mois % : % enregistrement(s) pour % feuille(s), tout n''est pas séquencé', to_char(month_start, 'YYYY-MM'), counted, leaves
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM audit_retention_drop d
     WHERE d.month = month_start AND d.xmin = pg_current_xact_id()::xid AND d.partition = part AND d.records = counted
       AND d.first_leaf IS NOT DISTINCT FROM first_index AND d.last_leaf IS NOT DISTINCT FROM last_index
  ) THEN
    RAISE EXCEPTION 'mois % : aucune trace de purge de cette transaction avec % enregistrement(s), feuilles % à %',
      to_char(month_start, 'YYYY-MM'), counted, coalesce(first_index::text, '-'), coalesce(last_index::text, '-')
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  EXECUTE format('DROP TABLE %I', part);
  RETURN counted;
END $$;

REVOKE ALL ON FUNCTION audit_default_months(timestamptz), audit_drop_month(date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_default_months(timestamptz), audit_drop_month(date, integer) TO rempart_app;
