-- The database as the second wall of the disclosure door (issue 14). The process that
-- serves requests logs in as rempart_serve: it gets what rempart_app has, except the
-- identity tables (who is insured, under which contract, with which engagements and
-- ceilings). It reaches them only through the functions below, each of which appends the
-- access record in the same statement as the read. Loaders, key rotation, the sequencer
-- and incident files keep rempart_app. Nothing is granted to rempart_serve by default:
-- a later table is invisible to it until a migration grants it, by name.
DO $$ BEGIN
  CREATE ROLE rempart_serve LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

SET ROLE rempart_owner;

-- A member portal's refused reads are recorded as its shown ones are: no beneficiary, a result.
ALTER TABLE transparency_read ALTER COLUMN beneficiary_id DROP NOT NULL,
  ADD COLUMN result text NOT NULL DEFAULT 'shown' CHECK (result IN ('shown', 'not_found', 'refused', 'error'));
GRANT INSERT (result) ON transparency_read TO rempart_app;

-- The identity tables, by name: a later table that names a person joins this list and is
-- granted nothing to rempart_serve (src/disclosure/wall.test.ts reads it).
CREATE TABLE identity_table (name text PRIMARY KEY);
INSERT INTO identity_table VALUES ('beneficiary'), ('contract'), ('engagement'), ('ceiling_counter');
REVOKE ALL ON identity_table FROM PUBLIC;

-- rempart_app's table, sequence and column privileges, copied, identity tables and the
-- access log's partitions aside. Read from the catalogue (aclexplode): the
-- information_schema views take seconds on the embedded engine, at every test database.
DO $$
DECLARE g record;
BEGIN
  EXECUTE 'GRANT USAGE ON SCHEMA public TO rempart_serve';
  FOR g IN SELECT c.relname, c.relkind, a.privilege_type
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
            WHERE n.nspname = 'public' AND a.grantee = 'rempart_app'::regrole AND NOT c.relispartition
              AND c.relname NOT IN (SELECT name FROM identity_table) LOOP
    EXECUTE format('GRANT %s ON %s %I TO rempart_serve', g.privilege_type, CASE WHEN g.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, g.relname);
  END LOOP;
  FOR g IN SELECT c.relname, t.attname, a.privilege_type
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute t ON t.attrelid = c.oid, aclexplode(t.attacl) a
            WHERE n.nspname = 'public' AND a.grantee = 'rempart_app'::regrole AND NOT c.relispartition
              AND c.relname NOT IN (SELECT name FROM identity_table) LOOP
    EXECUTE format('GRANT %s (%I) ON %I TO rempart_serve', g.privilege_type, g.attname, g.relname);
  END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION audit_ensure_partitions() TO rempart_serve;

-- The stored rights (domain/coverage/rights.ts formatRights: `FROM/TO:DOM,DOM;…`, an
-- empty TO open-ended) cover `domain` on `day`: coveredOn, in SQL, property-tested
-- against it (src/disclosure/rights-cover.test.ts).
CREATE FUNCTION rights_cover(rights text, domain text, day date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT EXISTS (
    SELECT 1 FROM unnest(string_to_array(rights, ';')) AS grp
     WHERE domain = ANY (string_to_array(split_part(grp, ':', 2), ','))
       AND split_part(split_part(grp, ':', 1), '/', 1)::date <= day
       AND (split_part(split_part(grp, ':', 1), '/', 2) = '' OR day <= split_part(split_part(grp, ':', 1), '/', 2)::date))
$$;

-- The door's scope: the insurer the statement acts for. A transaction already in another
-- insurer's scope is refused rather than silently moved.
CREATE FUNCTION disclosure_scope(p_insurer integer) RETURNS void LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  IF current_insurer() IS NOT NULL AND current_insurer() <> p_insurer THEN
    RAISE EXCEPTION 'portée % déjà ouverte, % demandée', current_insurer(), p_insurer USING ERRCODE = '42501';
  END IF;
  PERFORM set_config('rempart.insurer_id', p_insurer::text, true);
END $$;

-- IDB in one statement: the person behind the blind index, the decision on the care day
-- for the asked domains, the engagement when covered, and the access record whatever the
-- answer (covered, not_covered, not_found). What comes back is the decision only: covered
-- domains with their guarantee, never the person's identity.
CREATE FUNCTION disclose_rights(
  p_insurer integer, p_blind bytea, p_member text, p_care date, p_domains text[], p_engagement text, p_expires timestamptz, p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text)
RETURNS TABLE (beneficiary_id bigint, result text, care_domain text, basis text, rate_bp integer, flat_cents bigint, annual_ceiling_cents bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  PERFORM disclosure_scope(p_insurer);
  RETURN QUERY
  WITH candidate AS (
    SELECT b.id, b.rights, b.removed_on, c.member_number, c.product_id, c.valid_from, c.valid_to
      FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id
     WHERE b.blind_index = p_blind LIMIT 1
  ), covered AS (
    SELECT g.care_domain AS domain, g.basis::text AS basis, g.rate_bp::integer AS rate, g.flat_cents::bigint AS flat, g.annual_ceiling_cents::bigint AS ceiling
      FROM candidate k
      JOIN product_version v ON v.insurer_id = p_insurer AND v.product_id = k.product_id AND active_on(v.valid_from, v.valid_to, p_care)
      JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version
     WHERE g.care_domain = ANY (p_domains) AND g.basis <> 'none'
       AND k.member_number = p_member
       AND (k.removed_on IS NULL OR k.removed_on > p_care)
       AND k.valid_from <= p_care AND (k.valid_to IS NULL OR k.valid_to >= p_care)
       AND rights_cover(k.rights, g.care_domain, p_care)
  ), decided AS (
    SELECT (SELECT k.id FROM candidate k) AS id,
           (SELECT coalesce(array_agg(x.domain ORDER BY x.domain), '{}') FROM covered x) AS disclosed,
           CASE WHEN EXISTS (SELECT 1 FROM covered) THEN 'covered' WHEN EXISTS (SELECT 1 FROM candidate) THEN 'not_covered' ELSE 'not_found' END AS answer
  ), engaged AS (
    INSERT INTO engagement (insurer_id, number, beneficiary_id, product_id, site_id, professional_id, client_id, care_date, care_domains, created_at, expires_at)
    SELECT p_insurer, p_engagement, k.id, k.product_id, p_site, p_professional, p_client, p_care, d.disclosed, p_at, p_expires
      FROM candidate k, decided d WHERE d.answer = 'covered'
  ), recorded AS (
    INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result)
    SELECT p_insurer, d.id, p_professional, p_site, p_client, p_session, p_ip, p_device, 'rights_check', d.disclosed, d.answer FROM decided d
  )
  SELECT d.id, d.answer, x.domain, x.basis, x.rate, x.flat, x.ceiling
    FROM decided d LEFT JOIN covered x ON true;
END $$;

-- CLC: an engagement given to this site and professional, open at `p_at`: its care date and
-- domains, and, when it covers every asked domain, the product's guarantees on that date
-- and the ceilings consumed, with the access record. Unknown, expired or another's: no
-- row; outside its domains: its domains only; no record for either (the door records the
-- refusal).
CREATE FUNCTION disclose_coverage(
  p_insurer integer, p_engagement text, p_domains text[], p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text)
RETURNS TABLE (beneficiary_id bigint, care_date date, engaged_domains text[], responsible boolean,
               care_domain text, basis text, rate_bp integer, flat_cents bigint, annual_ceiling_cents bigint, consumed_cents bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  PERFORM disclosure_scope(p_insurer);
  RETURN QUERY
  WITH found AS (
    SELECT e.beneficiary_id AS id, e.product_id, e.care_date AS day, e.care_domains AS engaged, p.responsible AS responsible_product
      FROM engagement e JOIN product p ON p.insurer_id = e.insurer_id AND p.id = e.product_id
     WHERE e.number = p_engagement AND e.site_id = p_site AND e.professional_id = p_professional
       AND e.cancelled_at IS NULL AND e.expires_at > p_at
  ), recorded AS (
    INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result)
    SELECT p_insurer, f.id, p_professional, p_site, p_client, p_session, p_ip, p_device, 'coverage',
           (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(p_domains) AS x), 'covered' FROM found f
     WHERE p_domains <@ f.engaged
  )
  SELECT f.id, f.day, f.engaged, f.responsible_product,
         g.care_domain, g.basis::text, g.rate_bp::integer, g.flat_cents::bigint, g.annual_ceiling_cents::bigint, k.consumed_cents::bigint
    FROM found f
    LEFT JOIN product_version v ON p_domains <@ f.engaged AND v.insurer_id = p_insurer AND v.product_id = f.product_id
                             AND active_on(v.valid_from, v.valid_to, f.day)
    LEFT JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version AND g.care_domain = ANY (p_domains)
    LEFT JOIN ceiling_counter k ON k.insurer_id = p_insurer AND k.beneficiary_id = f.id AND k.care_domain = g.care_domain
                               AND k.year = extract(year FROM f.day);
END $$;

-- Transparency: the beneficiary a member portal names by card (blind index and member
-- number), as an internal id only; the history read that follows is recorded in the
-- same transaction (transparency_read), or nothing is returned.
CREATE FUNCTION member_by_card(p_insurer integer, p_blind bytea, p_member text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM disclosure_scope(p_insurer);
  RETURN (SELECT b.id FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id
           WHERE b.blind_index = p_blind AND c.member_number = p_member);
END $$;

REVOKE ALL ON FUNCTION disclosure_scope(integer), member_by_card(integer, bytea, text),
  disclose_rights(integer, bytea, text, date, text[], text, timestamptz, timestamptz, bigint, bigint, text, text, text, text),
  disclose_coverage(integer, text, text[], timestamptz, bigint, bigint, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION member_by_card(integer, bytea, text),
  disclose_rights(integer, bytea, text, date, text[], text, timestamptz, timestamptz, bigint, bigint, text, text, text, text),
  disclose_coverage(integer, text, text[], timestamptz, bigint, bigint, text, text, text, text) TO rempart_serve, rempart_app;
