-- Ceiling reads as of today (025's lazy expiry, read side): an agreement past its validity
-- is marked 'expired' and its reservation released only at the next decision on the same
-- beneficiary and domain (prior_agreement_expire), but disclose_coverage read the ledger as
-- written, so a calculation made in between still took the expired reservation off the
-- ceiling (and counted its glasses for the renewal delay). The reads now leave out the
-- reservations of a grant whose valid_until is before today, the same test as the status
-- read by disclose_prior_agreement; nothing is written on the read path, the release
-- stays the decision's, under its lock. 025's disclose_prior_agreement_terms is left as
-- it is: it runs that release under the lock before it reads, so the next agreement
-- already saw the full ceiling (prior-agreements.test.ts, the expiry test).
SET ROLE rempart_owner;

-- The beneficiary's movements on a domain, as the calculation reads them (ceiling-period.ts):
-- over ten years and a month before the day of care (024), without the 'reserved' entries
-- of agreements still 'granted' or 'partial' but past their validity on p_today. Once the
-- lazy expiry has run, those are 'expired' and their released entries net the reservation
-- out, so the read is the same before and after it.
CREATE FUNCTION ceiling_entries_as_of(p_insurer integer, p_beneficiary bigint, p_domain text, p_day date, p_today date) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object('careDate', m.care_date, 'amountCents', m.amount_cents, 'kind', m.kind, 'side', m.side, 'equipment', m.equipment)
                            ORDER BY m.care_date, m.id), '[]'::jsonb)
    FROM ceiling_entry m
   WHERE m.insurer_id = p_insurer AND m.beneficiary_id = p_beneficiary AND m.care_domain = p_domain
     AND m.care_date > p_day - interval '121 months'
     AND NOT (m.kind = 'reserved' AND EXISTS (
       SELECT 1 FROM prior_agreement a
        WHERE a.insurer_id = p_insurer AND a.number = m.source
          AND a.status IN ('granted', 'partial') AND a.valid_until < p_today))
$$;

-- 024's disclose_coverage, its movements read as of today: the day p_at falls on in UTC,
-- as the code's clock gives it (clock.ts, todayUtc) and as prior agreements are dated.
CREATE OR REPLACE FUNCTION disclose_coverage(
  p_insurer integer, p_engagement text, p_domains text[], p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (beneficiary_id bigint, care_date date, engaged_domains text[], responsible boolean,
               care_domain text, basis text, rate_bp integer, flat_cents bigint, annual_ceiling_cents bigint,
               families jsonb, ceiling_period_months integer, ceiling_scope text, renewal_months integer, beneficiary_age smallint, entries jsonb)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  PERFORM disclosure_scope(p_insurer);
  RETURN QUERY
  WITH found AS (
    SELECT e.beneficiary_id AS id, e.product_id, e.care_date AS day, e.care_domains AS engaged, p.responsible AS responsible_product, e.beneficiary_age AS age
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
         g.care_domain, g.basis::text, g.rate_bp::integer, g.flat_cents::bigint, g.annual_ceiling_cents::bigint,
         g.families, g.ceiling_period_months, g.ceiling_scope, g.renewal_months, f.age,
         CASE WHEN g.care_domain IS NULL THEN '[]'::jsonb
              ELSE ceiling_entries_as_of(p_insurer, f.id, g.care_domain, f.day, (p_at AT TIME ZONE 'UTC')::date) END
    FROM found f
    LEFT JOIN product_version v ON p_domains <@ f.engaged AND v.insurer_id = p_insurer AND v.product_id = f.product_id
                             AND active_on(v.valid_from, v.valid_to, f.day)
    LEFT JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version AND g.care_domain = ANY (p_domains);
END $$;

-- A helper of the doors only, like 025's: nothing granted on it.
REVOKE ALL ON FUNCTION ceiling_entries_as_of(integer, bigint, text, date, date) FROM PUBLIC;
