-- The log does not trust its database (issue 15, point 7; THREATS.md point 17). Each
-- access record carries the application's seal, an HMAC under a key the database never
-- holds (src/audit/access-seal.ts): a row inserted by whoever holds only the store — its
-- owner, a superuser — has no valid seal, and the sequencer sets it aside instead of
-- signing it. NULL for the records written before this migration.
SET ROLE rempart_owner;

ALTER TABLE access_record ADD COLUMN seal bytea CHECK (octet_length(seal) = 50);
GRANT INSERT (seal) ON access_record TO rempart_app, rempart_serve;

-- The seal's nonce of each sequenced record: a seal copied from a real record onto another
-- row is a replay, refused by the sequencer, and a second time here.
ALTER TABLE access_leaf ADD COLUMN seal_nonce bytea UNIQUE CHECK (octet_length(seal_nonce) = 16);

-- The records the sequencer refused to sign: unsealed, a seal that does not match, or a
-- seal seen before. They stay in access_record (the log refuses DELETE) and are named
-- here, so that `rempart audit verify` counts them apart from what the watermark says is
-- in the tree, and checks that each is indeed refused. Each refusal also raises an alert
-- (shield_alert, the security console's).
CREATE TABLE access_quarantine (
  record_id bigint NOT NULL,
  record_at timestamptz NOT NULL,
  reason text NOT NULL CHECK (reason IN ('unsealed', 'invalid', 'replayed')),
  quarantined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (record_id, record_at)
);
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON access_quarantine FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER no_rewrite BEFORE UPDATE OR DELETE OR TRUNCATE ON access_quarantine FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
REVOKE ALL ON access_quarantine FROM rempart_app, PUBLIC;
GRANT SELECT, INSERT ON access_quarantine TO rempart_app;
ALTER TABLE access_quarantine ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_quarantine FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON access_quarantine USING (current_insurer() IS NULL) WITH CHECK (current_insurer() IS NULL);

-- The disclosure functions of 019 take the request's seal, computed by the application
-- before the statement over what it knows (the caller, the insurer, the purpose), and
-- write it with the record; the rest of each body is 019's, unchanged. A new parameter
-- makes a new function: the old ones are dropped, so that no caller writes unsealed.
DROP FUNCTION disclose_rights(integer, bytea, text, date, text[], text, timestamptz, timestamptz, bigint, bigint, text, text, text, text);
DROP FUNCTION disclose_coverage(integer, text, text[], timestamptz, bigint, bigint, text, text, text, text);

CREATE FUNCTION disclose_rights(
  p_insurer integer, p_blind bytea, p_member text, p_care date, p_domains text[], p_engagement text, p_expires timestamptz, p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
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
    INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
    SELECT p_insurer, d.id, p_professional, p_site, p_client, p_session, p_ip, p_device, 'rights_check', d.disclosed, d.answer, p_seal FROM decided d
  )
  SELECT d.id, d.answer, x.domain, x.basis, x.rate, x.flat, x.ceiling
    FROM decided d LEFT JOIN covered x ON true;
END $$;

CREATE FUNCTION disclose_coverage(
  p_insurer integer, p_engagement text, p_domains text[], p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
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
    INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
    SELECT p_insurer, f.id, p_professional, p_site, p_client, p_session, p_ip, p_device, 'coverage',
           (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(p_domains) AS x), 'covered', p_seal FROM found f
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

REVOKE ALL ON FUNCTION disclose_rights(integer, bytea, text, date, text[], text, timestamptz, timestamptz, bigint, bigint, text, text, text, text, bytea),
  disclose_coverage(integer, text, text[], timestamptz, bigint, bigint, text, text, text, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION disclose_rights(integer, bytea, text, date, text[], text, timestamptz, timestamptz, bigint, bigint, text, text, text, text, bytea),
  disclose_coverage(integer, text, text[], timestamptz, bigint, bigint, text, text, text, text, bytea) TO rempart_serve, rempart_app;
