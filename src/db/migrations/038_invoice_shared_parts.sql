-- What migration 034 wrote again of 029, once: the review of a held invoice read the terms
-- of a decision as 029's disclose_invoice_terms reads them, its hold wrote the invoice row
-- as 029's invoice_record writes it, and its decision consumed as invoice_record consumes.
-- Each shared part is now one helper the doors call; the doors keep their signatures,
-- results, SECURITY DEFINER and grants (CREATE OR REPLACE keeps a function's grants).
SET ROLE rempart_owner;

-- The terms a decision is made on, read under the beneficiary's lock: the engagement's
-- product and guarantees on the care day for the domains read, the beneficiary's movements,
-- the engagement's state and its prior agreement's. `p_left_out`: an invoice read as if it
-- did not stand — the one a correction replaces, the held one under review (which consumed
-- nothing) —: its consumption left out of the ceilings, its use of the engagement not
-- counted. `p_agreement_freed`: the agreement that invoice invoiced is usable again.
CREATE FUNCTION invoice_terms(p_insurer integer, p_e engagement, p_a prior_agreement, p_care date, p_domains text[], p_today date,
                              p_left_out text, p_expired boolean, p_agreement_freed boolean)
RETURNS TABLE (beneficiary_id bigint, care_date date, engaged_domains text[], responsible boolean,
               care_domain text, basis text, rate_bp integer, flat_cents bigint, annual_ceiling_cents bigint,
               families jsonb, ceiling_period_months integer, ceiling_scope text, renewal_months integer, beneficiary_age smallint, entries jsonb,
               engagement_professional bigint, engagement_expired boolean, engagement_cancelled boolean, engagement_consumed boolean, agreement jsonb)
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
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
   WHERE p.insurer_id = p_insurer AND p.id = p_e.product_id
$$;

-- The engagement an invoice is written under, in the insurer's scope. The terms were read
-- first in the same transaction: a number the site does not hold is a forged call, refused.
CREATE FUNCTION invoice_write_engagement(p_insurer integer, p_engagement text, p_agreement text, p_site bigint) RETURNS engagement
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  v_e engagement;
BEGIN
  PERFORM disclosure_scope(p_insurer);
  v_e := invoice_engagement(p_insurer, p_engagement, p_agreement, p_site);
  IF v_e.number IS NULL THEN
    RAISE EXCEPTION 'engagement % inconnu pour cette structure', coalesce(p_agreement, p_engagement) USING ERRCODE = '42501';
  END IF;
  RETURN v_e;
END $$;

-- The invoice row, as a decision or a hold stores it, under its engagement.
CREATE FUNCTION invoice_insert(
  p_insurer integer, p_number text, p_site bigint, p_lot text, p_invoice text, p_body_hash bytea, p_e engagement, p_agreement text, p_replaces text,
  p_professional bigint, p_client text, p_care date, p_domains text[], p_status text, p_reason text, p_claimed bigint, p_paid bigint,
  p_lines jsonb, p_rules text, p_at timestamptz)
RETURNS void
LANGUAGE sql
SET search_path = public, pg_temp
AS $$
  INSERT INTO invoice (insurer_id, number, site_id, lot, invoice_number, body_hash, beneficiary_id, engagement, prior_agreement, replaces, professional_id, client_id,
                       care_date, care_domains, status, reason, claimed_cents, paid_cents, lines, rules, decided_at)
  VALUES (p_insurer, p_number, p_site, p_lot, p_invoice, p_body_hash, p_e.beneficiary_id, p_e.number, p_agreement, p_replaces, p_professional, p_client,
          p_care, p_domains, p_status, p_reason, p_claimed, p_paid, p_lines, p_rules, p_at)
$$;

-- What a paid or partly paid invoice consumes: its prior agreement, made 'invoiced' with its
-- reservation released, and its ceilings. An agreement no longer granted is refused, unless
-- `p_reinvoiced`: a correction of the invoice that invoiced it invoices it again.
CREATE FUNCTION invoice_consume(p_insurer integer, p_beneficiary bigint, p_number text, p_agreement text, p_care date, p_consumption jsonb, p_reinvoiced boolean)
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  v_domain text;
BEGIN
  IF p_agreement IS NOT NULL THEN
    UPDATE prior_agreement a SET status = 'invoiced' WHERE a.insurer_id = p_insurer AND a.number = p_agreement AND a.status IN ('granted', 'partial')
      RETURNING a.care_domain INTO v_domain;
    IF v_domain IS NOT NULL THEN
      PERFORM prior_agreement_release(p_insurer, p_beneficiary, v_domain, ARRAY[p_agreement]);
    ELSIF NOT p_reinvoiced THEN
      RAISE EXCEPTION 'accord % déjà facturé, annulé ou expiré', p_agreement USING ERRCODE = '55000';
    END IF;
  END IF;
  INSERT INTO ceiling_entry (insurer_id, beneficiary_id, care_domain, side, equipment, care_date, amount_cents, kind, source)
  SELECT p_insurer, p_beneficiary, c.domain, c.side, c.equipment, p_care, c."amountCents", 'consumed', p_number
    FROM jsonb_to_recordset(p_consumption) AS c(domain text, "amountCents" bigint, side text, equipment text);
END $$;

-- 029's read, its terms from invoice_terms: a correction reads the invoice it replaces as
-- not standing, its agreement usable again and its engagement's expiry not counted.
CREATE OR REPLACE FUNCTION disclose_invoice_terms(
  p_insurer integer, p_lot text, p_invoice text, p_engagement text, p_agreement text, p_replaces text, p_care date, p_domains text[], p_today date, p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (stored jsonb, refusal text, beneficiary_id bigint, care_date date, engaged_domains text[], responsible boolean,
               care_domain text, basis text, rate_bp integer, flat_cents bigint, annual_ceiling_cents bigint,
               families jsonb, ceiling_period_months integer, ceiling_scope text, renewal_months integer, beneficiary_age smallint, entries jsonb,
               engagement_professional bigint, engagement_expired boolean, engagement_cancelled boolean, engagement_consumed boolean, agreement jsonb)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_e engagement;
  v_a prior_agreement;
  v_stored invoice;
  v_r invoice;
  v_domains text[];
  v_refusal text;
  v_correcting boolean := false;
BEGIN
  PERFORM disclosure_scope(p_insurer);
  v_e := invoice_engagement(p_insurer, p_engagement, p_agreement, p_site);
  IF v_e.number IS NULL THEN RETURN; END IF;
  SELECT * INTO v_r FROM invoice i WHERE i.insurer_id = p_insurer AND i.number = p_replaces AND i.site_id = p_site;
  -- The domains read are 028's (the lines', the agreement's); those locked add the replaced
  -- invoice's, in one sorted pass with the others, so that two transactions queue rather than deadlock.
  v_domains := ARRAY(SELECT DISTINCT d FROM unnest(p_domains || ARRAY(SELECT a.care_domain FROM prior_agreement a WHERE a.insurer_id = p_insurer AND a.number = p_agreement)) AS d ORDER BY d);
  PERFORM invoice_lock(p_insurer, v_e.beneficiary_id, p_domains || coalesce(v_r.care_domains, '{}'), p_agreement, p_today);
  SELECT * INTO v_stored FROM invoice i WHERE i.insurer_id = p_insurer AND i.site_id = p_site AND i.lot = p_lot AND i.invoice_number = p_invoice;
  IF v_stored.number IS NULL AND p_replaces IS NOT NULL THEN
    v_refusal := invoice_replacement_refusal(p_insurer, v_r, v_e.number, p_agreement);
    v_correcting := v_refusal IS NULL;
  END IF;
  SELECT * INTO v_a FROM prior_agreement a WHERE a.insurer_id = p_insurer AND a.number = p_agreement;
  INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
  VALUES (p_insurer, coalesce(v_stored.beneficiary_id, v_e.beneficiary_id), p_professional, p_site, p_client, p_session, p_ip, p_device, 'invoice',
          coalesce(v_stored.care_domains, v_domains), 'covered', p_seal);
  RETURN QUERY
  SELECT CASE WHEN v_stored.number IS NULL THEN NULL ELSE to_jsonb(v_stored) END, v_refusal, t.*
    FROM invoice_terms(p_insurer, v_e, v_a, p_care, v_domains, p_today, CASE WHEN v_correcting THEN p_replaces END,
                       v_e.expires_at <= p_at AND NOT v_correcting, v_correcting AND v_r.status <> 'rejected') t;
END $$;

-- 029's write, its parts shared with 034's hold and review.
CREATE OR REPLACE FUNCTION invoice_record(
  p_insurer integer, p_lot text, p_invoice text, p_number text, p_body_hash bytea, p_engagement text, p_agreement text, p_replaces text,
  p_care date, p_domains text[], p_status text, p_reason text, p_claimed bigint, p_paid bigint, p_lines jsonb, p_consumption jsonb, p_rules text,
  p_today date, p_at timestamptz, p_professional bigint, p_site bigint, p_client text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  v_e engagement;
  v_r invoice;
  v_refusal text;
  v_replaced_paid boolean := false;
BEGIN
  v_e := invoice_write_engagement(p_insurer, p_engagement, p_agreement, p_site);
  SELECT * INTO v_r FROM invoice i WHERE i.insurer_id = p_insurer AND i.number = p_replaces AND i.site_id = p_site;
  PERFORM invoice_lock(p_insurer, v_e.beneficiary_id, p_domains || coalesce(v_r.care_domains, '{}'), p_agreement, p_today);
  IF p_replaces IS NOT NULL THEN
    v_refusal := invoice_replacement_refusal(p_insurer, v_r, v_e.number, p_agreement);
    IF v_refusal IS NOT NULL THEN
      RAISE EXCEPTION 'facture % non remplaçable : %', p_replaces, v_refusal USING ERRCODE = '55000';
    END IF;
    v_replaced_paid := v_r.status <> 'rejected';
    IF v_replaced_paid THEN
      PERFORM invoice_cancel_write(p_insurer, p_replaces, 'replaced', NULL, p_at, p_professional, p_client);
    END IF;
  END IF;
  PERFORM invoice_insert(p_insurer, p_number, p_site, p_lot, p_invoice, p_body_hash, v_e, p_agreement, p_replaces, p_professional, p_client,
                         p_care, p_domains, p_status, p_reason, p_claimed, p_paid, p_lines, p_rules, p_at);
  IF p_status <> 'rejected' THEN
    PERFORM invoice_consume(p_insurer, v_e.beneficiary_id, p_number, p_agreement, p_care, p_consumption, v_replaced_paid);
  END IF;
  IF v_replaced_paid THEN
    PERFORM invoice_return_append(p_insurer, p_site, p_replaces, 'cancelled', p_at);
  END IF;
  PERFORM invoice_return_append(p_insurer, p_site, p_number, 'decided', p_at);
END $$;

-- 034's hold: the row as invoice_record writes it, held (nothing paid, nothing consumed).
CREATE OR REPLACE FUNCTION invoice_hold_record(
  p_insurer integer, p_lot text, p_invoice text, p_number text, p_body_hash bytea, p_engagement text, p_agreement text,
  p_care date, p_domains text[], p_claimed bigint, p_lines jsonb, p_request jsonb, p_duplicate_of text, p_rules text,
  p_at timestamptz, p_professional bigint, p_site bigint, p_client text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM invoice_insert(p_insurer, p_number, p_site, p_lot, p_invoice, p_body_hash, invoice_write_engagement(p_insurer, p_engagement, p_agreement, p_site),
                         p_agreement, NULL, p_professional, p_client, p_care, p_domains, 'held', 'FAC_DUPLICATE', p_claimed, 0, p_lines, p_rules, p_at);
  INSERT INTO invoice_hold (insurer_id, invoice, claimed, duplicate_of, held_at) VALUES (p_insurer, p_number, p_request, p_duplicate_of, p_at);
  PERFORM invoice_return_append(p_insurer, p_site, p_number, 'held', p_at);
END $$;

-- 034's review read, its terms from invoice_terms: the held invoice left out of its
-- engagement's use, its engagement's expiry not counted (the invoice came in time, the
-- review is the insurer's delay).
CREATE OR REPLACE FUNCTION review_invoice_terms(p_number text, p_today date, p_at timestamptz)
RETURNS TABLE (state text, held jsonb, beneficiary_id bigint, care_date date, engaged_domains text[], responsible boolean,
               care_domain text, basis text, rate_bp integer, flat_cents bigint, annual_ceiling_cents bigint,
               families jsonb, ceiling_period_months integer, ceiling_scope text, renewal_months integer, beneficiary_age smallint, entries jsonb,
               engagement_professional bigint, engagement_expired boolean, engagement_cancelled boolean, engagement_consumed boolean, agreement jsonb)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_insurer integer := invoice_reader_scope();
  v invoice;
  v_h invoice_hold;
  v_e engagement;
  v_a prior_agreement;
  v_state text;
BEGIN
  SELECT * INTO v FROM invoice i WHERE i.insurer_id = v_insurer AND i.number = p_number;
  IF NOT FOUND THEN RETURN; END IF;
  SELECT * INTO v_h FROM invoice_hold h WHERE h.insurer_id = v_insurer AND h.invoice = p_number;
  IF NOT FOUND THEN
    state := 'not_held';
    RETURN NEXT;
    RETURN;
  END IF;
  SELECT * INTO v_e FROM engagement e WHERE e.insurer_id = v_insurer AND e.number = v.engagement;
  PERFORM invoice_lock(v_insurer, v.beneficiary_id, v.care_domains, v.prior_agreement, p_today);
  -- Under the lock: a concurrent review or correction has committed, or not.
  v_state := CASE WHEN EXISTS (SELECT 1 FROM invoice_review r WHERE r.insurer_id = v_insurer AND r.invoice = p_number) THEN 'reviewed'
                  WHEN invoice_cancelled(v_insurer, p_number) THEN 'cancelled' ELSE 'held' END;
  SELECT * INTO v_a FROM prior_agreement a WHERE a.insurer_id = v_insurer AND a.number = v.prior_agreement;
  RETURN QUERY
  SELECT v_state, jsonb_build_object('number', v.number, 'careDate', v.care_date, 'claimed', v_h.claimed, 'professionalId', v.professional_id, 'domains', v.care_domains),
         t.*
    FROM invoice_terms(v_insurer, v_e, v_a, v.care_date, v.care_domains || ARRAY(SELECT v_a.care_domain WHERE v_a.number IS NOT NULL), p_today,
                       p_number, false, false) t;
END $$;

-- 034's review write, consuming as invoice_record does.
CREATE OR REPLACE FUNCTION review_invoice_record(
  p_number text, p_decision text, p_reason text, p_staff bigint, p_status text, p_invoice_reason text, p_paid bigint, p_lines jsonb, p_consumption jsonb,
  p_rules text, p_at timestamptz)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  v_insurer integer := invoice_reader_scope();
  v invoice;
BEGIN
  SELECT * INTO v FROM invoice i WHERE i.insurer_id = v_insurer AND i.number = p_number;
  -- The lock the read took, taken again (it only queues if already held), as 029's write does.
  PERFORM invoice_lock(v_insurer, v.beneficiary_id, v.care_domains, v.prior_agreement, (p_at AT TIME ZONE 'UTC')::date);
  INSERT INTO invoice_review (insurer_id, invoice, decision, reason, staff_id, reviewed_at) VALUES (v_insurer, p_number, p_decision, p_reason, p_staff, p_at);
  UPDATE invoice i SET status = p_status, reason = p_invoice_reason, paid_cents = p_paid, lines = p_lines, rules = p_rules, decided_at = p_at
   WHERE i.insurer_id = v_insurer AND i.number = p_number AND i.status = 'held'
  RETURNING * INTO v;
  IF v.number IS NULL OR invoice_cancelled(v_insurer, p_number) THEN
    RAISE EXCEPTION 'facture % : plus en attente', p_number USING ERRCODE = '55000';
  END IF;
  IF p_status <> 'rejected' THEN
    PERFORM invoice_consume(v_insurer, v.beneficiary_id, p_number, v.prior_agreement, v.care_date, p_consumption, false);
  END IF;
  PERFORM invoice_return_append(v_insurer, v.site_id, p_number, 'decided', p_at);
END $$;

-- The helpers run inside the doors only: nothing granted on them.
REVOKE ALL ON FUNCTION
  invoice_terms(integer, engagement, prior_agreement, date, text[], date, text, boolean, boolean),
  invoice_write_engagement(integer, text, text, bigint),
  invoice_insert(integer, text, bigint, text, text, bytea, engagement, text, text, bigint, text, date, text[], text, text, bigint, bigint, jsonb, text, timestamptz),
  invoice_consume(integer, bigint, text, text, date, jsonb, boolean) FROM PUBLIC;
