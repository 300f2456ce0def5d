-- Guarantees per act family inside a care domain (issue 16, point 3): « médicaments à 15 %
-- non couverts », « montures : 100 € »… as the catalogue writes them, by family code
-- (src/domain/coverage/act-family.ts) → wording (« non couvert » or an expression),
-- parsed again by the calculation. Empty for every guarantee published before: those
-- versions compare and price exactly as they did.
SET ROLE rempart_owner;

ALTER TABLE guarantee ADD COLUMN families jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(families) = 'object');

-- disclose_coverage of 022 gives each guarantee's families too; the rest of its body is
-- 022's, unchanged. Its result type changes, so it is dropped and made again.
DROP FUNCTION disclose_coverage(integer, text, text[], timestamptz, bigint, bigint, text, text, text, text, bytea);

CREATE FUNCTION disclose_coverage(
  p_insurer integer, p_engagement text, p_domains text[], p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (beneficiary_id bigint, care_date date, engaged_domains text[], responsible boolean,
               care_domain text, basis text, rate_bp integer, flat_cents bigint, annual_ceiling_cents bigint, consumed_cents bigint,
               families jsonb)
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
         g.care_domain, g.basis::text, g.rate_bp::integer, g.flat_cents::bigint, g.annual_ceiling_cents::bigint, k.consumed_cents::bigint,
         g.families
    FROM found f
    LEFT JOIN product_version v ON p_domains <@ f.engaged AND v.insurer_id = p_insurer AND v.product_id = f.product_id
                             AND active_on(v.valid_from, v.valid_to, f.day)
    LEFT JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version AND g.care_domain = ANY (p_domains)
    LEFT JOIN ceiling_counter k ON k.insurer_id = p_insurer AND k.beneficiary_id = f.id AND k.care_domain = g.care_domain
                               AND k.year = extract(year FROM f.day);
END $$;

REVOKE ALL ON FUNCTION disclose_coverage(integer, text, text[], timestamptz, bigint, bigint, text, text, text, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION disclose_coverage(integer, text, text[], timestamptz, bigint, bigint, text, text, text, text, bytea) TO rempart_serve, rempart_app;
