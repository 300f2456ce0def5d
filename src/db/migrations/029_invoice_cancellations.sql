-- Invoices after their decision (DRE, issue 17 points 3 and 4): a site cancels an invoice
-- or replaces it by a correction, cancels an engagement nothing was paid under, and reads
-- its returns in the order they were written. Nothing is deleted or rewritten: a
-- cancellation is a row of its own, its ceilings are given back by reversal entries
-- ('released', 024), an amount already paid becomes a recovery, and every decision and
-- every cancellation is an entry of a journal read with a cursor.
SET ROLE rempart_owner;

-- `replaces`: the invoice a correction replaced (sent with `remplace`), of the same site and
-- under the same engagement or prior agreement, replaced once. `payment`: the payment that
-- settled the invoice — issue 18 sets it, once, by a function of its own that locks the
-- row (its UPDATE does) and skips a cancelled invoice; NULL until then. A cancellation
-- reads it under that row lock: what was paid becomes a recovery.
ALTER TABLE invoice
  ADD COLUMN replaces text,
  ADD COLUMN payment text CHECK (length(payment) BETWEEN 1 AND 64),
  ADD CONSTRAINT invoice_replaces FOREIGN KEY (insurer_id, replaces) REFERENCES invoice,
  ADD CONSTRAINT invoice_replaced_once UNIQUE (insurer_id, replaces),
  ADD CONSTRAINT invoice_replaces_other CHECK (replaces <> number);

-- One cancellation per invoice, never undone: by the site ('cancelled', with the optional
-- text it gave) or by a correction ('replaced': the invoice whose `replaces` names it).
-- Only a paid or partly paid invoice is cancelled; a rejected one consumed nothing.
CREATE TABLE invoice_cancellation (
  insurer_id integer NOT NULL REFERENCES insurer,
  invoice text NOT NULL,
  site_id bigint NOT NULL REFERENCES site,
  cause text NOT NULL CHECK (cause IN ('cancelled', 'replaced')),
  reason text CHECK (length(reason) BETWEEN 1 AND 500),
  professional_id bigint NOT NULL REFERENCES professional,
  client_id text,
  cancelled_at timestamptz NOT NULL,
  PRIMARY KEY (insurer_id, invoice),
  FOREIGN KEY (insurer_id, invoice) REFERENCES invoice
);

-- What a cancelled invoice had already been paid: to be netted against the site's next
-- payment (issue 18 sets netted_by, once, by a function of its own). One per cancellation.
CREATE TABLE invoice_recovery (
  insurer_id integer NOT NULL REFERENCES insurer,
  invoice text NOT NULL,
  site_id bigint NOT NULL REFERENCES site,
  -- The payment that paid what is now to recover (invoice.payment when it was cancelled).
  payment text NOT NULL,
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  created_at timestamptz NOT NULL,
  netted_by text,
  PRIMARY KEY (insurer_id, invoice),
  FOREIGN KEY (insurer_id, invoice) REFERENCES invoice_cancellation
);

-- The returns journal: one entry per decision ('decided') and per cancellation
-- ('cancelled'), read by the site in `seq` order with a cursor (the last seq it read).
-- Exact paging needs, for one (insurer, site), seq given in commit order: an entry is
-- appended only by invoice_return_append, which takes the (insurer, site) lock first and
-- holds it to the commit, so the next entry of the site draws its seq after this one is
-- visible. CACHE 1 (the default, written down): with a cache, sessions would draw values
-- out of order. Keys lead with insurer_id, like every tenant table.
CREATE TABLE invoice_return (
  insurer_id integer NOT NULL REFERENCES insurer,
  seq bigint GENERATED ALWAYS AS IDENTITY (CACHE 1),
  site_id bigint NOT NULL REFERENCES site,
  invoice text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('decided', 'cancelled')),
  at timestamptz NOT NULL,
  claimed_cents bigint NOT NULL CHECK (claimed_cents >= 0),
  paid_cents bigint NOT NULL CHECK (paid_cents >= 0),
  PRIMARY KEY (insurer_id, seq),
  UNIQUE (insurer_id, invoice, kind),
  FOREIGN KEY (insurer_id, invoice) REFERENCES invoice
);
CREATE INDEX invoice_return_site ON invoice_return (insurer_id, site_id, seq);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['invoice_cancellation', 'invoice_recovery', 'invoice_return'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (insurer_id = current_insurer()) WITH CHECK (insurer_id = current_insurer())', t);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM rempart_app', t);
  END LOOP;
END $$;
-- The journal's order is its lock's: nobody appends around it.
REVOKE INSERT ON invoice_return FROM rempart_app;
-- They name a person's invoices: identity tables, nothing granted to rempart_serve (019).
INSERT INTO identity_table VALUES ('invoice_cancellation'), ('invoice_recovery'), ('invoice_return');

-- The decisions made before this migration, in their order, so that the journal holds them all.
ALTER TABLE invoice NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_return NO FORCE ROW LEVEL SECURITY;
INSERT INTO invoice_return (insurer_id, site_id, invoice, kind, at, claimed_cents, paid_cents)
SELECT insurer_id, site_id, number, 'decided', decided_at, claimed_cents, paid_cents FROM invoice ORDER BY decided_at, number;
ALTER TABLE invoice FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_return FORCE ROW LEVEL SECURITY;

-- 028's read of a beneficiary's movements, able to leave out, besides one agreement's
-- reservations, one invoice's consumption: a correction is decided as if the invoice it
-- replaces were cancelled, which its write does in the same transaction. Made again with
-- the parameter, which defaults to leaving out nothing; the rest is 028's.
DROP FUNCTION ceiling_entries_as_of(integer, bigint, text, date, date, text);
CREATE FUNCTION ceiling_entries_as_of(p_insurer integer, p_beneficiary bigint, p_domain text, p_day date, p_today date,
                                      p_except text DEFAULT NULL, p_replaced text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
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
          AND a.status IN ('granted', 'partial') AND a.valid_until < p_today))
$$;

-- Whether an invoice still stands: decided, and neither cancelled nor replaced.
CREATE FUNCTION invoice_cancelled(p_insurer integer, p_number text) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
  SELECT EXISTS (SELECT 1 FROM invoice_cancellation c WHERE c.insurer_id = p_insurer AND c.invoice = p_number)
      OR EXISTS (SELECT 1 FROM invoice r WHERE r.insurer_id = p_insurer AND r.replaces = p_number)
$$;

-- Why `p_replaced` (the invoice row named by `remplace`, found for the site or NULL) cannot
-- be replaced by an invoice under this engagement or agreement; NULL when it can. Read under
-- the beneficiary's lock. A correction names the same engagement or agreement as the
-- invoice it replaces: it is the same care, sent again right; another reference is a new
-- invoice (cancel the first).
CREATE FUNCTION invoice_replacement_refusal(p_insurer integer, p_replaced invoice, p_engagement text, p_agreement text) RETURNS text
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
  SELECT CASE
    WHEN p_replaced.number IS NULL THEN 'INVOICE_REPLACED_UNKNOWN'
    WHEN p_replaced.engagement <> p_engagement OR p_replaced.prior_agreement IS DISTINCT FROM p_agreement THEN 'INVOICE_REPLACEMENT_REFERENCE'
    WHEN invoice_cancelled(p_insurer, p_replaced.number) THEN 'INVOICE_ALREADY_CANCELLED'
  END
$$;

-- Appends one entry to the site's returns journal, under the (insurer, site) lock held to
-- the commit: the last lock a transaction takes (after the beneficiary's), so that no
-- transaction waits for a beneficiary while holding it.
CREATE FUNCTION invoice_return_append(p_insurer integer, p_site bigint, p_invoice text, p_kind text, p_at timestamptz) RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('invoice_return:' || p_insurer || ':' || p_site, 0));
  INSERT INTO invoice_return (insurer_id, site_id, invoice, kind, at, claimed_cents, paid_cents)
  SELECT i.insurer_id, i.site_id, i.number, p_kind, p_at, i.claimed_cents, i.paid_cents
    FROM invoice i WHERE i.insurer_id = p_insurer AND i.number = p_invoice AND i.site_id = p_site;
END $$;

-- The cancellation of a paid or partly paid invoice, under the lock of its ceilings: the
-- row, one 'released' entry per 'consumed' one (same day, side, equipment and amount, so
-- that the period's sum and the last equipment net to nothing; 'released' counts negative
-- in ceiling-period.ts whatever made it), and, when a payment already settled it, the
-- recovery of what it paid. A prior agreement it consumed stays 'invoiced': its
-- reservation is not made again, a correction (`remplace`) is the way to invoice it anew.
-- Returns the amount to recover, or NULL.
CREATE FUNCTION invoice_cancel_write(p_insurer integer, p_number text, p_cause text, p_reason text, p_at timestamptz, p_professional bigint, p_client text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE v invoice;
BEGIN
  -- The row lock orders the cancellation and the payment (issue 18): whichever comes second sees the first.
  SELECT * INTO v FROM invoice i WHERE i.insurer_id = p_insurer AND i.number = p_number FOR UPDATE;
  INSERT INTO invoice_cancellation (insurer_id, invoice, site_id, cause, reason, professional_id, client_id, cancelled_at)
  VALUES (p_insurer, p_number, v.site_id, p_cause, p_reason, p_professional, p_client, p_at);
  INSERT INTO ceiling_entry (insurer_id, beneficiary_id, care_domain, family, side, equipment, care_date, amount_cents, kind, source)
  SELECT m.insurer_id, m.beneficiary_id, m.care_domain, m.family, m.side, m.equipment, m.care_date, m.amount_cents, 'released', m.source
    FROM ceiling_entry m
   WHERE m.insurer_id = p_insurer AND m.beneficiary_id = v.beneficiary_id AND m.kind = 'consumed' AND m.source = p_number;
  IF v.payment IS NULL THEN RETURN NULL; END IF;
  INSERT INTO invoice_recovery (insurer_id, invoice, site_id, payment, amount_cents, created_at)
  VALUES (p_insurer, p_number, v.site_id, v.payment, v.paid_cents, p_at);
  RETURN v.paid_cents;
END $$;

-- 028's read of a decision, for a correction too (p_replaces): the invoice it replaces is
-- locked with the rest (same beneficiary: same reference) and checked under the lock
-- (`refusal`, the code the lot answers; nothing is decided); the decision then sees the
-- beneficiary as if it were cancelled: its consumption left out of the ceilings, its
-- engagement not consumed by it, its agreement (which it invoiced) usable again, and the
-- engagement's expiry not counted — the invoice it corrects came in time. A cancelled
-- invoice no longer consumes its engagement. The rest is 028's.
DROP FUNCTION disclose_invoice_terms(integer, text, text, text, text, date, text[], date, timestamptz, bigint, bigint, text, text, text, text, bytea);
CREATE FUNCTION disclose_invoice_terms(
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
  SELECT CASE WHEN v_stored.number IS NULL THEN NULL ELSE to_jsonb(v_stored) END, v_refusal,
         v_e.beneficiary_id, v_e.care_date, v_e.care_domains, p.responsible,
         g.care_domain, g.basis::text, g.rate_bp::integer, g.flat_cents::bigint, g.annual_ceiling_cents::bigint,
         g.families, g.ceiling_period_months, g.ceiling_scope, g.renewal_months, v_e.beneficiary_age,
         CASE WHEN g.care_domain IS NULL THEN '[]'::jsonb
              -- An agreement's reservation is left out while it stands; once invoiced, its release nets it already.
              ELSE ceiling_entries_as_of(p_insurer, v_e.beneficiary_id, g.care_domain, p_care, p_today,
                                         CASE WHEN v_a.status IN ('granted', 'partial') THEN p_agreement END,
                                         CASE WHEN v_correcting THEN p_replaces END) END,
         v_e.professional_id, v_e.expires_at <= p_at AND NOT v_correcting, v_e.cancelled_at IS NOT NULL,
         EXISTS (SELECT 1 FROM invoice i
                  WHERE i.insurer_id = p_insurer AND i.engagement = v_e.number AND i.prior_agreement IS NULL AND i.status <> 'rejected'
                    AND NOT invoice_cancelled(p_insurer, i.number)
                    AND (NOT v_correcting OR i.number <> p_replaces)),
         CASE WHEN v_a.number IS NULL THEN NULL ELSE jsonb_build_object(
           'status', CASE WHEN v_correcting AND v_a.status = 'invoiced' AND v_r.status <> 'rejected' THEN 'granted'
                          WHEN v_a.status IN ('granted', 'partial') AND v_a.valid_until < p_today THEN 'expired' ELSE v_a.status END,
           'domain', v_a.care_domain, 'grantedCents', v_a.granted_cents, 'toleranceCents', v_a.tolerance_cents,
           'validUntil', v_a.valid_until, 'professionalId', v_a.professional_id) END
    FROM product p
    LEFT JOIN product_version v ON v.insurer_id = p.insurer_id AND v.product_id = p.id AND active_on(v.valid_from, v.valid_to, p_care)
    LEFT JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version AND g.care_domain = ANY (v_domains)
   WHERE p.insurer_id = p_insurer AND p.id = v_e.product_id;
END $$;

-- 028's write of a decision, for a correction too: the invoice it replaces checked again
-- under the lock, cancelled first when it was paid (a rejected one consumed nothing and is
-- only named), then the decision as 028 wrote it — under an agreement the replaced invoice
-- had invoiced, the agreement is already 'invoiced' and its reservation already released —
-- and last the returns: the replaced invoice's cancellation, then this decision.
DROP FUNCTION invoice_record(integer, text, text, text, bytea, text, text, date, text[], text, text, bigint, bigint, jsonb, jsonb, text, date, timestamptz, bigint, bigint, text);
CREATE FUNCTION invoice_record(
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
  v_domain text;
BEGIN
  PERFORM disclosure_scope(p_insurer);
  v_e := invoice_engagement(p_insurer, p_engagement, p_agreement, p_site);
  IF v_e.number IS NULL THEN
    RAISE EXCEPTION 'engagement % inconnu pour cette structure', coalesce(p_agreement, p_engagement) USING ERRCODE = '42501';
  END IF;
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
  INSERT INTO invoice (insurer_id, number, site_id, lot, invoice_number, body_hash, beneficiary_id, engagement, prior_agreement, replaces, professional_id, client_id,
                       care_date, care_domains, status, reason, claimed_cents, paid_cents, lines, rules, decided_at)
  VALUES (p_insurer, p_number, p_site, p_lot, p_invoice, p_body_hash, v_e.beneficiary_id, v_e.number, p_agreement, p_replaces, p_professional, p_client,
          p_care, p_domains, p_status, p_reason, p_claimed, p_paid, p_lines, p_rules, p_at);
  IF p_status <> 'rejected' THEN
    IF p_agreement IS NOT NULL THEN
      UPDATE prior_agreement a SET status = 'invoiced' WHERE a.insurer_id = p_insurer AND a.number = p_agreement AND a.status IN ('granted', 'partial')
        RETURNING a.care_domain INTO v_domain;
      IF v_domain IS NOT NULL THEN
        PERFORM prior_agreement_release(p_insurer, v_e.beneficiary_id, v_domain, ARRAY[p_agreement]);
      ELSIF NOT v_replaced_paid THEN
        RAISE EXCEPTION 'accord % déjà facturé, annulé ou expiré', p_agreement USING ERRCODE = '55000';
      END IF;
    END IF;
    INSERT INTO ceiling_entry (insurer_id, beneficiary_id, care_domain, side, equipment, care_date, amount_cents, kind, source)
    SELECT p_insurer, v_e.beneficiary_id, c.domain, c.side, c.equipment, p_care, c."amountCents", 'consumed', p_number
      FROM jsonb_to_recordset(p_consumption) AS c(domain text, "amountCents" bigint, side text, equipment text);
  END IF;
  IF v_replaced_paid THEN
    PERFORM invoice_return_append(p_insurer, p_site, p_replaces, 'cancelled', p_at);
  END IF;
  PERFORM invoice_return_append(p_insurer, p_site, p_number, 'decided', p_at);
END $$;

-- Cancellation by the site that sent the invoice, under the lock of its ceilings. Returns
-- the status found under the lock ('cancelled' when cancelled or replaced before): the
-- caller refuses (and so rolls back) anything but a paid or partly paid invoice. The
-- access record is written whatever the answer, as cancel_prior_agreement (025) does.
-- Another site's number finds nothing.
CREATE FUNCTION cancel_invoice(
  p_insurer integer, p_number text, p_reason text, p_today date, p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (previous_status text, beneficiary_id bigint, recovery_cents bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v invoice;
  v_status text;
  v_recovery bigint;
BEGIN
  PERFORM disclosure_scope(p_insurer);
  SELECT * INTO v FROM invoice i WHERE i.insurer_id = p_insurer AND i.number = p_number AND i.site_id = p_site;
  IF NOT FOUND THEN RETURN; END IF;
  PERFORM invoice_lock(p_insurer, v.beneficiary_id, v.care_domains, v.prior_agreement, p_today);
  -- Read again under the lock: a concurrent cancellation or correction may have just committed.
  v_status := CASE WHEN invoice_cancelled(p_insurer, p_number) THEN 'cancelled' ELSE v.status END;
  IF v_status IN ('paid', 'partly_paid') THEN
    v_recovery := invoice_cancel_write(p_insurer, p_number, 'cancelled', p_reason, p_at, p_professional, p_client);
  END IF;
  INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
  VALUES (p_insurer, v.beneficiary_id, p_professional, p_site, p_client, p_session, p_ip, p_device, 'invoice', v.care_domains, 'covered', p_seal);
  IF v_status IN ('paid', 'partly_paid') THEN
    PERFORM invoice_return_append(p_insurer, p_site, p_number, 'cancelled', p_at);
  END IF;
  RETURN QUERY SELECT v_status, v.beneficiary_id, v_recovery;
END $$;

-- An engagement cancelled by the site it was given to: cancelled_at set once, a state
-- transition rather than a rewrite (the decision the rights check made stays as it was).
-- Under the lock of its domains, which every invoice under it takes, so that an invoice
-- being decided either commits first (and the engagement is 'invoiced') or sees the
-- cancellation (ENG_CANCELLED). Refused ('invoiced') while an invoice paid under it, or
-- under one of its prior agreements, stands; its prior agreements keep their own
-- lifecycle. Returns the status found under the lock: 'open', 'invoiced' or 'cancelled'.
CREATE FUNCTION cancel_engagement(
  p_insurer integer, p_number text, p_today date, p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (previous_status text, beneficiary_id bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v engagement;
  v_status text;
BEGIN
  PERFORM disclosure_scope(p_insurer);
  SELECT * INTO v FROM engagement e WHERE e.insurer_id = p_insurer AND e.number = p_number AND e.site_id = p_site;
  IF NOT FOUND THEN RETURN; END IF;
  PERFORM invoice_lock(p_insurer, v.beneficiary_id, v.care_domains, NULL, p_today);
  SELECT CASE WHEN e.cancelled_at IS NOT NULL THEN 'cancelled'
              WHEN EXISTS (SELECT 1 FROM invoice i WHERE i.insurer_id = p_insurer AND i.engagement = p_number AND i.status <> 'rejected'
                              AND NOT invoice_cancelled(p_insurer, i.number)) THEN 'invoiced'
              ELSE 'open' END INTO v_status
    FROM engagement e WHERE e.insurer_id = p_insurer AND e.number = p_number;
  IF v_status = 'open' THEN
    UPDATE engagement e SET cancelled_at = p_at WHERE e.insurer_id = p_insurer AND e.number = p_number AND e.cancelled_at IS NULL;
  END IF;
  INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
  VALUES (p_insurer, v.beneficiary_id, p_professional, p_site, p_client, p_session, p_ip, p_device, 'engagement', v.care_domains, 'covered', p_seal);
  RETURN QUERY SELECT v_status, v.beneficiary_id;
END $$;

-- An invoice's cancellation as the site reads it, or NULL.
CREATE FUNCTION invoice_cancellation_of(p_insurer integer, p_number text) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
  SELECT jsonb_build_object('cause', c.cause, 'reason', c.reason, 'at', c.cancelled_at, 'recoveryCents', r.amount_cents)
    FROM invoice_cancellation c
    LEFT JOIN invoice_recovery r ON r.insurer_id = c.insurer_id AND r.invoice = c.invoice
   WHERE c.insurer_id = p_insurer AND c.invoice = p_number
$$;

-- 028's consultation, with what happened to the invoice since: its cancellation (cause,
-- text, when, amount to recover) and the correction that replaced it, if any.
DROP FUNCTION disclose_invoice(integer, text, bigint, bigint, text, text, text, text, bytea);
CREATE FUNCTION disclose_invoice(
  p_insurer integer, p_number text,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (beneficiary_id bigint, stored jsonb, cancellation jsonb, replaced_by text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  PERFORM disclosure_scope(p_insurer);
  RETURN QUERY
  WITH found AS (
    SELECT i.* FROM invoice i WHERE i.insurer_id = p_insurer AND i.number = p_number AND i.site_id = p_site
  ), recorded AS (
    INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
    SELECT p_insurer, f.beneficiary_id, p_professional, p_site, p_client, p_session, p_ip, p_device, 'invoice', f.care_domains, 'covered', p_seal FROM found f
  )
  SELECT f.beneficiary_id, to_jsonb(f), invoice_cancellation_of(p_insurer, f.number),
         (SELECT r.number FROM invoice r WHERE r.insurer_id = p_insurer AND r.replaces = f.number)
    FROM found f;
END $$;

-- The site's returns after the cursor (the last seq read; NULL: from the start, or from
-- p_since), p_limit of them in seq order, each with its invoice as decided, its
-- cancellation and the correction that replaced it. One access record per beneficiary
-- the page names (the domains of their invoices on it), in the same statement, each under
-- a seal of its own (p_seals, one per entry the page may hold: a seal is spent once); an
-- empty page is recorded once, as a miss, and answers one row without entry whose `head`
-- is where the feed stands (the cursor given, or the site's last seq): every later entry
-- of the site has a greater seq (invoice_return_append).
CREATE FUNCTION disclose_invoice_returns(
  p_insurer integer, p_after bigint, p_since timestamptz, p_limit integer,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seals bytea[])
RETURNS TABLE (seq bigint, kind text, at timestamptz, stored jsonb, cancellation jsonb, replaced_by text, head bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  PERFORM disclosure_scope(p_insurer);
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100 OR coalesce(cardinality(p_seals), 0) < p_limit THEN
    RAISE EXCEPTION 'page de % retours, % sceaux', p_limit, cardinality(p_seals) USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH page AS (
    SELECT r.seq, r.kind, r.at, r.invoice FROM invoice_return r
     WHERE r.insurer_id = p_insurer AND r.site_id = p_site AND r.seq > coalesce(p_after, 0)
       AND (p_after IS NOT NULL OR p_since IS NULL OR r.at >= p_since)
     ORDER BY r.seq LIMIT p_limit
  ), shown AS (
    SELECT p.seq, p.kind, p.at, i.number, i.beneficiary_id AS person, i.care_domains, to_jsonb(i) AS stored
      FROM page p JOIN invoice i ON i.insurer_id = p_insurer AND i.number = p.invoice
  ), people AS (
    SELECT s.person, row_number() OVER (ORDER BY min(s.seq)) AS n,
           (SELECT array_agg(DISTINCT d ORDER BY d) FROM shown o, unnest(o.care_domains) AS d WHERE o.person = s.person) AS domains
      FROM shown s GROUP BY s.person
  ), recorded AS (
    INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
    SELECT p_insurer, w.person, p_professional, p_site, p_client, p_session, p_ip, p_device, 'invoice', w.domains, 'covered', p_seals[w.n] FROM people w
  )
  SELECT s.seq, s.kind, s.at, s.stored,
         CASE WHEN s.kind = 'cancelled' THEN invoice_cancellation_of(p_insurer, s.number) END,
         CASE WHEN s.kind = 'cancelled' THEN (SELECT r.number FROM invoice r WHERE r.insurer_id = p_insurer AND r.replaces = s.number) END,
         NULL::bigint
    FROM shown s ORDER BY s.seq;
  IF NOT FOUND THEN
    INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
    VALUES (p_insurer, NULL, p_professional, p_site, p_client, p_session, p_ip, p_device, 'invoice', '{}', 'not_found', p_seals[1]);
    RETURN QUERY SELECT NULL::bigint, NULL::text, NULL::timestamptz, NULL::jsonb, NULL::jsonb, NULL::text,
                        coalesce(p_after, (SELECT max(r.seq) FROM invoice_return r WHERE r.insurer_id = p_insurer AND r.site_id = p_site), 0);
  END IF;
END $$;

-- The helpers run inside the doors only: nothing granted on them.
REVOKE ALL ON FUNCTION
  ceiling_entries_as_of(integer, bigint, text, date, date, text, text), invoice_cancelled(integer, text),
  invoice_replacement_refusal(integer, invoice, text, text), invoice_return_append(integer, bigint, text, text, timestamptz),
  invoice_cancel_write(integer, text, text, text, timestamptz, bigint, text), invoice_cancellation_of(integer, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION
  disclose_invoice_terms(integer, text, text, text, text, text, date, text[], date, timestamptz, bigint, bigint, text, text, text, text, bytea),
  invoice_record(integer, text, text, text, bytea, text, text, text, date, text[], text, text, bigint, bigint, jsonb, jsonb, text, date, timestamptz, bigint, bigint, text),
  cancel_invoice(integer, text, text, date, timestamptz, bigint, bigint, text, text, text, text, bytea),
  cancel_engagement(integer, text, date, timestamptz, bigint, bigint, text, text, text, text, bytea),
  disclose_invoice(integer, text, bigint, bigint, text, text, text, text, bytea),
  disclose_invoice_returns(integer, bigint, timestamptz, integer, bigint, bigint, text, text, text, text, bytea[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  disclose_invoice_terms(integer, text, text, text, text, text, date, text[], date, timestamptz, bigint, bigint, text, text, text, text, bytea),
  invoice_record(integer, text, text, text, bytea, text, text, text, date, text[], text, text, bigint, bigint, jsonb, jsonb, text, date, timestamptz, bigint, bigint, text),
  cancel_invoice(integer, text, text, date, timestamptz, bigint, bigint, text, text, text, text, bytea),
  cancel_engagement(integer, text, date, timestamptz, bigint, bigint, text, text, text, text, bytea),
  disclose_invoice(integer, text, bigint, bigint, text, text, text, text, bytea),
  disclose_invoice_returns(integer, bigint, timestamptz, integer, bigint, bigint, text, text, text, text, bytea[]) TO rempart_serve, rempart_app;
