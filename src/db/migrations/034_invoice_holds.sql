-- Near duplicates held for review (issue 17, point 2): an invoice of the same beneficiary,
-- care date, act and site as an earlier live one under another number is stored 'held' —
-- it consumes nothing and no payment run takes it (032 pays 'paid' and 'partly_paid' only)
-- — until the insurer's agent reviews it: « payer » decides it then, with the same rules
-- and the ceilings as they stand (src/domain/invoices/adjudicate.ts), « rejeter » rejects
-- it for FAC_DUPLICATE. The review is a row of its own, once per invoice; the one change
-- to the invoice row is its first decision taking the place of 'held', which a trigger
-- allows from 'held' only: a decision, once made, is still never updated (028).
SET ROLE rempart_owner;

ALTER TABLE invoice DROP CONSTRAINT invoice_status_check,
  ADD CONSTRAINT invoice_status_check CHECK (status IN ('paid', 'partly_paid', 'rejected', 'held'));
-- 028's pairing of a rejection with nothing paid (its second unnamed check, after paid <= claimed), a held invoice paying nothing either.
ALTER TABLE invoice DROP CONSTRAINT invoice_check1,
  ADD CONSTRAINT invoice_paid_status CHECK ((status IN ('rejected', 'held')) = (paid_cents = 0));

-- What the review needs that the row does not keep: the lines as claimed (the request's,
-- src/domain/invoices ClaimedLine), to be adjudicated then, and the earlier invoice it repeats.
CREATE TABLE invoice_hold (
  insurer_id integer NOT NULL REFERENCES insurer,
  invoice text NOT NULL,
  claimed jsonb NOT NULL,
  duplicate_of text NOT NULL,
  held_at timestamptz NOT NULL,
  PRIMARY KEY (insurer_id, invoice),
  FOREIGN KEY (insurer_id, invoice) REFERENCES invoice,
  FOREIGN KEY (insurer_id, duplicate_of) REFERENCES invoice
);

-- The agent's decision on a held invoice, once (the key), with the text it gave.
CREATE TABLE invoice_review (
  insurer_id integer NOT NULL REFERENCES insurer,
  invoice text NOT NULL,
  decision text NOT NULL CHECK (decision IN ('pay', 'reject')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  staff_id bigint NOT NULL REFERENCES staff_member,
  reviewed_at timestamptz NOT NULL,
  PRIMARY KEY (insurer_id, invoice),
  FOREIGN KEY (insurer_id, invoice) REFERENCES invoice_hold
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['invoice_hold', 'invoice_review'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (insurer_id = current_insurer()) WITH CHECK (insurer_id = current_insurer())', t);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM rempart_app', t);
  END LOOP;
END $$;
INSERT INTO identity_table VALUES ('invoice_hold'), ('invoice_review');

-- The returns journal tells the hold, then the decision ('decided') when the review makes it.
ALTER TABLE invoice_return DROP CONSTRAINT invoice_return_kind_check,
  ADD CONSTRAINT invoice_return_kind_check CHECK (kind IN ('held', 'decided', 'cancelled'));

-- A decision is never rewritten (028, MONEY.md: never UPDATE a paid amount): its columns
-- change only from 'held', to a decision. The payment (032) and the rest are not its concern.
CREATE FUNCTION invoice_decided_once() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  IF (NEW.status, NEW.reason, NEW.claimed_cents, NEW.paid_cents, NEW.lines, NEW.rules) IS DISTINCT FROM (OLD.status, OLD.reason, OLD.claimed_cents, OLD.paid_cents, OLD.lines, OLD.rules)
     AND (OLD.status <> 'held' OR NEW.status = 'held') THEN
    RAISE EXCEPTION 'facture % : une décision ne se réécrit pas', OLD.number USING ERRCODE = '55000';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoice_decided_once BEFORE UPDATE ON invoice FOR EACH ROW EXECUTE FUNCTION invoice_decided_once();

-- The live invoices a new one may repeat, read under the beneficiary's lock that
-- disclose_invoice_terms took in the same transaction (two near duplicates share the lock
-- of their act's domain: the second reads the first once committed). The keys only, for
-- the pure rule (src/domain/invoices/duplicates.ts): not rejected, not cancelled nor replaced.
CREATE FUNCTION invoice_earlier(p_insurer integer, p_site bigint, p_beneficiary bigint, p_care date)
RETURNS TABLE (number text, lot text, invoice_number text, acts text[], status text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  PERFORM disclosure_scope(p_insurer);
  RETURN QUERY
  SELECT i.number, i.lot, i.invoice_number, ARRAY(SELECT l->>'actCode' FROM jsonb_array_elements(i.lines) AS l), i.status
    FROM invoice i
   WHERE i.insurer_id = p_insurer AND i.beneficiary_id = p_beneficiary AND i.care_date = p_care AND i.site_id = p_site
     AND i.status <> 'rejected' AND NOT invoice_cancelled(p_insurer, i.number)
   ORDER BY i.decided_at, i.number;
END $$;

-- A held invoice's write, under the lock the read took: the row (nothing paid, its lines
-- as held), what the review will need, and its return. A held invoice consumes nothing,
-- not even its prior agreement, which stays reserved until the review.
CREATE FUNCTION invoice_hold_record(
  p_insurer integer, p_lot text, p_invoice text, p_number text, p_body_hash bytea, p_engagement text, p_agreement text,
  p_care date, p_domains text[], p_claimed bigint, p_lines jsonb, p_request jsonb, p_duplicate_of text, p_rules text,
  p_at timestamptz, p_professional bigint, p_site bigint, p_client text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
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
  INSERT INTO invoice (insurer_id, number, site_id, lot, invoice_number, body_hash, beneficiary_id, engagement, prior_agreement, professional_id, client_id,
                       care_date, care_domains, status, reason, claimed_cents, paid_cents, lines, rules, decided_at)
  VALUES (p_insurer, p_number, p_site, p_lot, p_invoice, p_body_hash, v_e.beneficiary_id, v_e.number, p_agreement, p_professional, p_client,
          p_care, p_domains, 'held', 'FAC_DUPLICATE', p_claimed, 0, p_lines, p_rules, p_at);
  INSERT INTO invoice_hold (insurer_id, invoice, claimed, duplicate_of, held_at) VALUES (p_insurer, p_number, p_request, p_duplicate_of, p_at);
  PERFORM invoice_return_append(p_insurer, p_site, p_number, 'held', p_at);
END $$;

-- 029's read of a decision's terms, for a held invoice under review: the same columns, read
-- under the same lock, in the transaction's insurer scope, without access record — the
-- agent sees no one (030) — and with the invoice itself left out of its engagement's use.
-- Nothing when the number is not this insurer's; `state` alone, 'not_held', for an invoice
-- decided at its reception; else 'reviewed', 'cancelled' (replaced by a correction while
-- held) or 'held', the only one the review goes on with.
CREATE FUNCTION review_invoice_terms(p_number text, p_today date, p_at timestamptz)
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
         v_e.beneficiary_id, v_e.care_date, v_e.care_domains, p.responsible,
         g.care_domain, g.basis::text, g.rate_bp::integer, g.flat_cents::bigint, g.annual_ceiling_cents::bigint,
         g.families, g.ceiling_period_months, g.ceiling_scope, g.renewal_months, v_e.beneficiary_age,
         CASE WHEN g.care_domain IS NULL THEN '[]'::jsonb
              ELSE ceiling_entries_as_of(v_insurer, v_e.beneficiary_id, g.care_domain, v.care_date, p_today,
                                         CASE WHEN v_a.status IN ('granted', 'partial') THEN v.prior_agreement END) END,
         -- Its engagement's expiry is not counted: the invoice came in time, the review is the insurer's delay.
         v_e.professional_id, false, v_e.cancelled_at IS NOT NULL,
         EXISTS (SELECT 1 FROM invoice i
                  WHERE i.insurer_id = v_insurer AND i.engagement = v_e.number AND i.prior_agreement IS NULL AND i.status <> 'rejected'
                    AND i.number <> p_number AND NOT invoice_cancelled(v_insurer, i.number)),
         CASE WHEN v_a.number IS NULL THEN NULL ELSE jsonb_build_object(
           'status', CASE WHEN v_a.status IN ('granted', 'partial') AND v_a.valid_until < p_today THEN 'expired' ELSE v_a.status END,
           'domain', v_a.care_domain, 'grantedCents', v_a.granted_cents, 'toleranceCents', v_a.tolerance_cents,
           'validUntil', v_a.valid_until, 'professionalId', v_a.professional_id) END
    FROM product p
    LEFT JOIN product_version pv ON pv.insurer_id = p.insurer_id AND pv.product_id = p.id AND active_on(pv.valid_from, pv.valid_to, v.care_date)
    LEFT JOIN guarantee g ON g.insurer_id = pv.insurer_id AND g.product_id = pv.product_id AND g.version = pv.version
                         AND g.care_domain = ANY (v.care_domains || ARRAY(SELECT v_a.care_domain WHERE v_a.number IS NOT NULL))
   WHERE p.insurer_id = v_insurer AND p.id = v_e.product_id;
END $$;

-- The review's write, in the transaction of its read (the lock still held): the review row
-- (once: the key refuses a second), the decision in place of 'held', and unless rejected
-- its consumption as 029's invoice_record writes it; then the decision's return.
CREATE FUNCTION review_invoice_record(
  p_number text, p_decision text, p_reason text, p_staff bigint, p_status text, p_invoice_reason text, p_paid bigint, p_lines jsonb, p_consumption jsonb,
  p_rules text, p_at timestamptz)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  v_insurer integer := invoice_reader_scope();
  v invoice;
  v_domain text;
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
    IF v.prior_agreement IS NOT NULL THEN
      UPDATE prior_agreement a SET status = 'invoiced' WHERE a.insurer_id = v_insurer AND a.number = v.prior_agreement AND a.status IN ('granted', 'partial')
        RETURNING a.care_domain INTO v_domain;
      IF v_domain IS NULL THEN
        RAISE EXCEPTION 'accord % déjà facturé, annulé ou expiré', v.prior_agreement USING ERRCODE = '55000';
      END IF;
      PERFORM prior_agreement_release(v_insurer, v.beneficiary_id, v_domain, ARRAY[v.prior_agreement]);
    END IF;
    INSERT INTO ceiling_entry (insurer_id, beneficiary_id, care_domain, side, equipment, care_date, amount_cents, kind, source)
    SELECT v_insurer, v.beneficiary_id, c.domain, c.side, c.equipment, v.care_date, c."amountCents", 'consumed', p_number
      FROM jsonb_to_recordset(p_consumption) AS c(domain text, "amountCents" bigint, side text, equipment text);
  END IF;
  PERFORM invoice_return_append(v_insurer, v.site_id, p_number, 'decided', p_at);
END $$;

-- The held invoices of the transaction's insurer not reviewed yet, oldest first, in 030's
-- columns (no one named) with the earlier invoice each repeats.
CREATE FUNCTION insurer_invoices_held(p_limit integer)
RETURNS TABLE (number text, finess text, siret text, rpps text, care_date date, care_domains text[], status text, reason text,
               claimed_cents bigint, paid_cents bigint, decided_at timestamptz, duplicate_of text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT i.number, s.finess, s.siret, p.rpps, i.care_date, i.care_domains, i.status, i.reason, i.claimed_cents, i.paid_cents, i.decided_at, h.duplicate_of
    FROM invoice i
    JOIN invoice_hold h ON h.insurer_id = i.insurer_id AND h.invoice = i.number
    JOIN site s ON s.id = i.site_id
    JOIN professional p ON p.id = i.professional_id
   WHERE i.insurer_id = invoice_reader_scope() AND i.status = 'held' AND NOT invoice_cancelled(i.insurer_id, i.number)
   ORDER BY h.held_at, i.number
   LIMIT p_limit
$$;
CREATE INDEX invoice_held ON invoice (insurer_id, number) WHERE status = 'held';

-- 030's rejections by reason, a held invoice being neither rejected nor reduced (yet).
CREATE OR REPLACE FUNCTION insurer_invoice_rejections(p_from date, p_to date)
RETURNS TABLE (reason text, rejected bigint, reduced bigint, claimed_cents bigint, unpaid_cents bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT i.reason, count(*) FILTER (WHERE i.status = 'rejected'), count(*) FILTER (WHERE i.status = 'partly_paid'),
         sum(i.claimed_cents)::bigint, sum(i.claimed_cents - i.paid_cents)::bigint
    FROM insurer_invoices_decided(p_from, p_to) i
   WHERE i.status IN ('rejected', 'partly_paid') AND i.reason IS NOT NULL
   GROUP BY i.reason
   ORDER BY 5 DESC, 1
$$;

REVOKE ALL ON FUNCTION invoice_decided_once() FROM PUBLIC;
REVOKE ALL ON FUNCTION
  invoice_earlier(integer, bigint, bigint, date),
  invoice_hold_record(integer, text, text, text, bytea, text, text, date, text[], bigint, jsonb, jsonb, text, text, timestamptz, bigint, bigint, text),
  review_invoice_terms(text, date, timestamptz),
  review_invoice_record(text, text, text, bigint, text, text, bigint, jsonb, jsonb, text, timestamptz),
  insurer_invoices_held(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  invoice_earlier(integer, bigint, bigint, date),
  invoice_hold_record(integer, text, text, text, bytea, text, text, date, text[], bigint, jsonb, jsonb, text, text, timestamptz, bigint, bigint, text),
  review_invoice_terms(text, date, timestamptz),
  review_invoice_record(text, text, text, bigint, text, text, bigint, jsonb, jsonb, text, timestamptz),
  insurer_invoices_held(integer) TO rempart_serve, rempart_app;
