-- Invoices decided at the database's pace, not its planner's. A profile of the invoice's
-- statements under load (pgbench, 8 clients) spent a third of the server's time in
-- fmgr_sql and a fifth in the planner: a LANGUAGE sql function with a SET clause (every
-- helper below sets its search_path) is never inlined, and PostgreSQL before 18 parses and
-- plans its body again at each call, while PL/pgSQL keeps its plans for the session. The
-- helpers an invoice calls each time (some once per row read) are made again in PL/pgSQL,
-- each body the same query as before, so that what they answer does not change; CREATE OR
-- REPLACE keeps their grants.
SET ROLE rempart_owner;

-- 028's engagement read. A missing engagement is a row of NULLs, as the SQL function gave.
CREATE OR REPLACE FUNCTION invoice_engagement(p_insurer integer, p_engagement text, p_agreement text, p_site bigint) RETURNS engagement
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
DECLARE
  v_e engagement;
BEGIN
  SELECT e.* INTO v_e FROM engagement e
   WHERE e.insurer_id = p_insurer AND e.site_id = p_site
     AND e.number = CASE WHEN p_agreement IS NULL THEN p_engagement
                         ELSE (SELECT a.engagement FROM prior_agreement a WHERE a.insurer_id = p_insurer AND a.number = p_agreement AND a.site_id = p_site) END;
  RETURN v_e;
END $$;

-- 029's ledger read.
CREATE OR REPLACE FUNCTION ceiling_entries_as_of(p_insurer integer, p_beneficiary bigint, p_domain text, p_day date, p_today date,
                                                 p_except text DEFAULT NULL, p_replaced text DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN (
  SELECT coalesce(jsonb_agg(jsonb_build_object('careDate', m.care_date, 'amountCents', m.amount_cents, 'kind', m.kind, 'side', m.side, 'equipment', m.equipment)
                            ORDER BY m.care_date, m.id), '[]'::jsonb)
    FROM ceiling_entry m
   WHERE m.insurer_id = p_insurer AND m.beneficiary_id = p_beneficiary AND m.care_domain = p_domain
     AND m.care_date > p_day - interval '121 months'
     AND NOT (m.kind = 'reserved' AND m.source IS NOT DISTINCT FROM p_except)
     AND NOT (m.kind = 'consumed' AND m.source IS NOT DISTINCT FROM p_replaced)
     AND NOT (m.kind = 'reserved' AND EXISTS (
       SELECT 1 FROM prior_agreement a
        WHERE a.insurer_id = p_insurer AND a.number = m.source
          AND a.status IN ('granted', 'partial') AND a.valid_until < p_today)));
END $$;

-- 029's test of an invoice still standing, called once per invoice row read.
CREATE OR REPLACE FUNCTION invoice_cancelled(p_insurer integer, p_number text) RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM invoice_cancellation c WHERE c.insurer_id = p_insurer AND c.invoice = p_number)
      OR EXISTS (SELECT 1 FROM invoice r WHERE r.insurer_id = p_insurer AND r.replaces = p_number);
END $$;

-- 029's refusal of a correction.
CREATE OR REPLACE FUNCTION invoice_replacement_refusal(p_insurer integer, p_replaced invoice, p_engagement text, p_agreement text) RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN CASE
    WHEN p_replaced.number IS NULL THEN 'INVOICE_REPLACED_UNKNOWN'
    WHEN p_replaced.engagement <> p_engagement OR p_replaced.prior_agreement IS DISTINCT FROM p_agreement THEN 'INVOICE_REPLACEMENT_REFERENCE'
    WHEN invoice_cancelled(p_insurer, p_replaced.number) THEN 'INVOICE_ALREADY_CANCELLED'
  END;
END $$;

-- 038's terms of a decision.
CREATE OR REPLACE FUNCTION invoice_terms(p_insurer integer, p_e engagement, p_a prior_agreement, p_care date, p_domains text[], p_today date,
                                         p_left_out text, p_expired boolean, p_agreement_freed boolean)
RETURNS TABLE (beneficiary_id bigint, care_date date, engaged_domains text[], responsible boolean,
               care_domain text, basis text, rate_bp integer, flat_cents bigint, annual_ceiling_cents bigint,
               families jsonb, ceiling_period_months integer, ceiling_scope text, renewal_months integer, beneficiary_age smallint, entries jsonb,
               engagement_professional bigint, engagement_expired boolean, engagement_cancelled boolean, engagement_consumed boolean, agreement jsonb)
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT p_e.beneficiary_id, p_e.care_date, p_e.care_domains, p.responsible,
         g.care_domain, g.basis::text, g.rate_bp::integer, g.flat_cents::bigint, g.annual_ceiling_cents::bigint,
         g.families, g.ceiling_period_months, g.ceiling_scope, g.renewal_months, p_e.beneficiary_age,
         CASE WHEN g.care_domain IS NULL THEN '[]'::jsonb
              -- An agreement's reservation is left out while it stands; once invoiced, its release nets it already.
              ELSE ceiling_entries_as_of(p_insurer, p_e.beneficiary_id, g.care_domain, p_care, p_today,
                                         CASE WHEN p_a.status IN ('granted', 'partial') THEN p_a.number END, p_left_out) END,
         p_e.professional_id, p_expired, p_e.cancelled_at IS NOT NULL,
         EXISTS (SELECT 1 FROM invoice i
                  WHERE i.insurer_id = p_insurer AND i.engagement = p_e.number AND i.prior_agreement IS NULL AND i.status <> 'rejected'
                    AND i.number IS DISTINCT FROM p_left_out AND NOT invoice_cancelled(p_insurer, i.number)),
         CASE WHEN p_a.number IS NULL THEN NULL ELSE jsonb_build_object(
           'status', CASE WHEN p_agreement_freed AND p_a.status = 'invoiced' THEN 'granted'
                          WHEN p_a.status IN ('granted', 'partial') AND p_a.valid_until < p_today THEN 'expired' ELSE p_a.status END,
           'domain', p_a.care_domain, 'grantedCents', p_a.granted_cents, 'toleranceCents', p_a.tolerance_cents,
           'validUntil', p_a.valid_until, 'professionalId', p_a.professional_id) END
    FROM product p
    LEFT JOIN product_version v ON v.insurer_id = p.insurer_id AND v.product_id = p.id AND active_on(v.valid_from, v.valid_to, p_care)
    LEFT JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version AND g.care_domain = ANY (p_domains)
   WHERE p.insurer_id = p_insurer AND p.id = p_e.product_id;
END $$;

-- 038's invoice row.
CREATE OR REPLACE FUNCTION invoice_insert(
  p_insurer integer, p_number text, p_site bigint, p_lot text, p_invoice text, p_body_hash bytea, p_e engagement, p_agreement text, p_replaces text,
  p_professional bigint, p_client text, p_care date, p_domains text[], p_status text, p_reason text, p_claimed bigint, p_paid bigint,
  p_lines jsonb, p_rules text, p_at timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  INSERT INTO invoice (insurer_id, number, site_id, lot, invoice_number, body_hash, beneficiary_id, engagement, prior_agreement, replaces, professional_id, client_id,
                       care_date, care_domains, status, reason, claimed_cents, paid_cents, lines, rules, decided_at)
  VALUES (p_insurer, p_number, p_site, p_lot, p_invoice, p_body_hash, p_e.beneficiary_id, p_e.number, p_agreement, p_replaces, p_professional, p_client,
          p_care, p_domains, p_status, p_reason, p_claimed, p_paid, p_lines, p_rules, p_at);
END $$;

-- A person's invoices of one day, for the near duplicates' read (034): it went through the
-- site's invoices, every invoice the site ever had.
CREATE INDEX invoice_beneficiary_day ON invoice (insurer_id, beneficiary_id, care_date);

-- The sender's key (028) led with the site: a plan kept for the session, made while the
-- table was small, read an invoice named by its number and its site through that index,
-- every invoice the site ever had, rather than through the number's. The same key, the
-- site last, serves the resend's lookup as before and no longer offers the site alone.
ALTER TABLE invoice DROP CONSTRAINT invoice_insurer_id_site_id_lot_invoice_number_key,
  ADD CONSTRAINT invoice_sender_key UNIQUE (insurer_id, lot, invoice_number, site_id);

