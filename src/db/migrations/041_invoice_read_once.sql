-- An invoice's read in one statement: the terms of its decision (disclose_invoice_terms,
-- migrations 029 and 038) and the live invoices it may repeat (invoice_earlier, 034), which
-- the server asked for in a second statement of the same transaction. A CPU profile of the
-- server deciding lots put a third of its time in the socket writes of its statements; the
-- second read now comes back as a column of the first. It is still read after the terms
-- took the beneficiary's lock, so two near duplicates sent in parallel still queue; not for
-- a resend (its stored decision answers) nor for a correction (never held): then `[]`.
SET ROLE rempart_owner;

CREATE FUNCTION disclose_invoice_read(
  p_insurer integer, p_lot text, p_invoice text, p_engagement text, p_agreement text, p_replaces text, p_care date, p_domains text[], p_today date, p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (stored jsonb, refusal text, beneficiary_id bigint, care_date date, engaged_domains text[], responsible boolean,
               care_domain text, basis text, rate_bp integer, flat_cents bigint, annual_ceiling_cents bigint,
               families jsonb, ceiling_period_months integer, ceiling_scope text, renewal_months integer, beneficiary_age smallint, entries jsonb,
               engagement_professional bigint, engagement_expired boolean, engagement_cancelled boolean, engagement_consumed boolean, agreement jsonb,
               earlier jsonb)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH t AS MATERIALIZED (
         SELECT * FROM disclose_invoice_terms(p_insurer, p_lot, p_invoice, p_engagement, p_agreement, p_replaces, p_care, p_domains, p_today, p_at,
                                              p_professional, p_site, p_client, p_session, p_ip, p_device, p_seal)),
       e AS (
         SELECT coalesce(jsonb_agg(jsonb_build_object('number', x.number, 'lot', x.lot, 'invoice_number', x.invoice_number, 'acts', x.acts) ORDER BY x.n), '[]'::jsonb) AS earlier
           FROM invoice_earlier(p_insurer, p_site, (SELECT t.beneficiary_id FROM t LIMIT 1), p_care) WITH ORDINALITY AS x(number, lot, invoice_number, acts, status, n)
          WHERE p_replaces IS NULL AND NOT EXISTS (SELECT 1 FROM t WHERE t.stored IS NOT NULL))
  SELECT t.*, e.earlier FROM t, e;
END $$;

REVOKE ALL ON FUNCTION
  disclose_invoice_read(integer, text, text, text, text, text, date, text[], date, timestamptz, bigint, bigint, text, text, text, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  disclose_invoice_read(integer, text, text, text, text, text, date, text[], date, timestamptz, bigint, bigint, text, text, text, text, bytea) TO rempart_serve, rempart_app;
