-- Invoices (DRE, issue 17, first slice): a site's invoice names its engagement (IDB, CLC)
-- or its prior agreement; the decision (src/domain/invoices/adjudicate.ts) is stored with
-- the invoice, and what it pays is consumed on the beneficiary's ceilings (ceiling_entry,
-- 024) in the same transaction, under the lock prior agreements take (025). A prior
-- agreement's reservation becomes the invoice's consumption: released whole, consumed as
-- paid, the agreement 'invoiced' and never invoiced again.
SET ROLE rempart_owner;

ALTER TABLE prior_agreement DROP CONSTRAINT prior_agreement_status_check,
  ADD CONSTRAINT prior_agreement_status_check CHECK (status IN ('granted', 'partial', 'refused', 'cancelled', 'expired', 'invoiced'));

-- Keys lead with insurer_id, like every tenant table. `number` is the platform's (F, the
-- AMC number, 80 random bits: it names the insurer for a consultation without a lookup
-- table, and opens nothing else); (site, lot, invoice_number) is the sender's, the key of
-- idempotency: a resend finds its decision, another body under it is refused (the body's
-- SHA-256). An invoice whose engagement is unknown to the site is answered, not stored:
-- there is nobody to store it against. Decisions are never updated: cancellations and
-- corrections will be entries of their own (issue 17, point 3).
CREATE TABLE invoice (
  insurer_id integer NOT NULL REFERENCES insurer,
  number text NOT NULL CHECK (number ~ '^F[0-9]{8,10}-[A-Z2-7]{16}$'),
  site_id bigint NOT NULL REFERENCES site,
  lot text NOT NULL CHECK (length(lot) BETWEEN 1 AND 40),
  invoice_number text NOT NULL CHECK (length(invoice_number) BETWEEN 1 AND 40),
  body_hash bytea NOT NULL CHECK (octet_length(body_hash) = 32),
  beneficiary_id bigint NOT NULL,
  engagement text NOT NULL,
  prior_agreement text,
  professional_id bigint NOT NULL REFERENCES professional,
  client_id text,
  care_date date NOT NULL,
  care_domains text[] NOT NULL CHECK (cardinality(care_domains) > 0),
  status text NOT NULL CHECK (status IN ('paid', 'partly_paid', 'rejected')),
  -- The catalogue's code (src/domain/invoices/reasons.ts): why rejected, or the first cut.
  reason text CHECK (reason ~ '^[A-Z]{2,3}_[A-Z_]+$'),
  claimed_cents bigint NOT NULL CHECK (claimed_cents >= 0),
  paid_cents bigint NOT NULL CHECK (paid_cents >= 0 AND paid_cents <= claimed_cents),
  lines jsonb NOT NULL,
  -- The version of the rules that decided (ADJUDICATION_RULES), so the decision can be explained later.
  rules text NOT NULL,
  decided_at timestamptz NOT NULL,
  PRIMARY KEY (insurer_id, number),
  UNIQUE (insurer_id, site_id, lot, invoice_number),
  FOREIGN KEY (insurer_id, beneficiary_id) REFERENCES beneficiary,
  FOREIGN KEY (insurer_id, engagement) REFERENCES engagement,
  FOREIGN KEY (insurer_id, prior_agreement) REFERENCES prior_agreement,
  CHECK ((status = 'rejected') = (paid_cents = 0))
);
CREATE INDEX invoice_engagement ON invoice (insurer_id, engagement);

ALTER TABLE invoice ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice USING (insurer_id = current_insurer()) WITH CHECK (insurer_id = current_insurer());
REVOKE UPDATE, DELETE, TRUNCATE ON invoice FROM rempart_app;
-- It says what care a person had: an identity table, nothing granted to rempart_serve (019).
INSERT INTO identity_table VALUES ('invoice');

-- 027's read of a beneficiary's movements, able to leave out one agreement's reservations:
-- an invoice under a prior agreement is decided as if that reservation were not there (it
-- becomes the invoice's consumption in the same transaction). Dropped and made again with
-- the parameter, which defaults to leaving out nothing, so that disclose_coverage's call
-- stays as it is and one definition of the read serves both; the rest of the body is 027's.
DROP FUNCTION ceiling_entries_as_of(integer, bigint, text, date, date);
CREATE FUNCTION ceiling_entries_as_of(p_insurer integer, p_beneficiary bigint, p_domain text, p_day date, p_today date, p_except text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object('careDate', m.care_date, 'amountCents', m.amount_cents, 'kind', m.kind, 'side', m.side, 'equipment', m.equipment)
                            ORDER BY m.care_date, m.id), '[]'::jsonb)
    FROM ceiling_entry m
   WHERE m.insurer_id = p_insurer AND m.beneficiary_id = p_beneficiary AND m.care_domain = p_domain
     AND m.care_date > p_day - interval '121 months'
     AND NOT (m.kind = 'reserved' AND m.source IS NOT DISTINCT FROM p_except)
     AND NOT (m.kind = 'reserved' AND EXISTS (
       SELECT 1 FROM prior_agreement a
        WHERE a.insurer_id = p_insurer AND a.number = m.source
          AND a.status IN ('granted', 'partial') AND a.valid_until < p_today))
$$;

-- The engagement an invoice names for this site: its own, or its prior agreement's (asked
-- by the same site). Another site's finds nothing, as a number never given does. NULL fields when none.
CREATE FUNCTION invoice_engagement(p_insurer integer, p_engagement text, p_agreement text, p_site bigint) RETURNS engagement
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
  SELECT e.* FROM engagement e
   WHERE e.insurer_id = p_insurer AND e.site_id = p_site
     AND e.number = CASE WHEN p_agreement IS NULL THEN p_engagement
                         ELSE (SELECT a.engagement FROM prior_agreement a WHERE a.insurer_id = p_insurer AND a.number = p_agreement AND a.site_id = p_site) END
$$;

-- 025's lock on each domain the invoice touches (its lines', its agreement's), in the
-- domains' order so that two invoices of one beneficiary queue rather than deadlock, with
-- the domain's expired agreements released first as every decision does. Returns the domains.
CREATE FUNCTION invoice_lock(p_insurer integer, p_beneficiary bigint, p_domains text[], p_agreement text, p_today date) RETURNS text[]
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
  v_domains text[];
  v_domain text;
BEGIN
  SELECT array_agg(DISTINCT d ORDER BY d) INTO v_domains
    FROM unnest(p_domains || ARRAY(SELECT a.care_domain FROM prior_agreement a WHERE a.insurer_id = p_insurer AND a.number = p_agreement)) AS d;
  FOREACH v_domain IN ARRAY v_domains LOOP
    PERFORM prior_agreement_lock(p_insurer, p_beneficiary, v_domain);
    PERFORM prior_agreement_expire(p_insurer, p_beneficiary, v_domain, p_today);
  END LOOP;
  RETURN v_domains;
END $$;

-- The read of a decision, under the lock: the invoice already stored under the sender's
-- key (a resend), the engagement's state, the agreement's as of today, the guarantees of
-- the product version valid on the care date and the beneficiary's movements on their
-- ceilings — without the agreement's own reservation, which the invoice is about to turn
-- into consumption — and the access record ('invoice'). The lock is held to the end of
-- the transaction: the caller decides, then writes with invoice_record, before a
-- concurrent invoice on the same ceilings reads the ledger.
CREATE FUNCTION disclose_invoice_terms(
  p_insurer integer, p_lot text, p_invoice text, p_engagement text, p_agreement text, p_care date, p_domains text[], p_today date, p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (stored jsonb, beneficiary_id bigint, care_date date, engaged_domains text[], responsible boolean,
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
  v_domains text[];
BEGIN
  PERFORM disclosure_scope(p_insurer);
  v_e := invoice_engagement(p_insurer, p_engagement, p_agreement, p_site);
  IF v_e.number IS NULL THEN RETURN; END IF;
  v_domains := invoice_lock(p_insurer, v_e.beneficiary_id, p_domains, p_agreement, p_today);
  -- Under the lock: a resend, or a concurrent invoice on the same agreement, committed before.
  SELECT * INTO v_stored FROM invoice i WHERE i.insurer_id = p_insurer AND i.site_id = p_site AND i.lot = p_lot AND i.invoice_number = p_invoice;
  SELECT * INTO v_a FROM prior_agreement a WHERE a.insurer_id = p_insurer AND a.number = p_agreement;
  INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
  VALUES (p_insurer, coalesce(v_stored.beneficiary_id, v_e.beneficiary_id), p_professional, p_site, p_client, p_session, p_ip, p_device, 'invoice',
          coalesce(v_stored.care_domains, v_domains), 'covered', p_seal);
  RETURN QUERY
  SELECT CASE WHEN v_stored.number IS NULL THEN NULL ELSE to_jsonb(v_stored) END,
         v_e.beneficiary_id, v_e.care_date, v_e.care_domains, p.responsible,
         g.care_domain, g.basis::text, g.rate_bp::integer, g.flat_cents::bigint, g.annual_ceiling_cents::bigint,
         g.families, g.ceiling_period_months, g.ceiling_scope, g.renewal_months, v_e.beneficiary_age,
         CASE WHEN g.care_domain IS NULL THEN '[]'::jsonb
              ELSE ceiling_entries_as_of(p_insurer, v_e.beneficiary_id, g.care_domain, p_care, p_today, p_agreement) END,
         v_e.professional_id, v_e.expires_at <= p_at, v_e.cancelled_at IS NOT NULL,
         EXISTS (SELECT 1 FROM invoice i WHERE i.insurer_id = p_insurer AND i.engagement = v_e.number AND i.prior_agreement IS NULL AND i.status <> 'rejected'),
         CASE WHEN v_a.number IS NULL THEN NULL ELSE jsonb_build_object(
           'status', CASE WHEN v_a.status IN ('granted', 'partial') AND v_a.valid_until < p_today THEN 'expired' ELSE v_a.status END,
           'domain', v_a.care_domain, 'grantedCents', v_a.granted_cents, 'toleranceCents', v_a.tolerance_cents,
           'validUntil', v_a.valid_until, 'professionalId', v_a.professional_id) END
    FROM product p
    LEFT JOIN product_version v ON v.insurer_id = p.insurer_id AND v.product_id = p.id AND active_on(v.valid_from, v.valid_to, p_care)
    LEFT JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version AND g.care_domain = ANY (v_domains)
   WHERE p.insurer_id = p_insurer AND p.id = v_e.product_id;
END $$;

-- The decision, in the transaction of its read: the invoice, and unless rejected its
-- consumption ('consumed' entries with their side and equipment, the renewal delays
-- counting a paid equipment as bought); under a prior agreement, its reservation released
-- first and the agreement 'invoiced'. The beneficiary is found again from the engagement,
-- never taken from the caller; the lock is taken again (it only queues if already held).
-- p_consumption: [{domain, amountCents, side ('D'|'G'|null), equipment}].
CREATE FUNCTION invoice_record(
  p_insurer integer, p_lot text, p_invoice text, p_number text, p_body_hash bytea, p_engagement text, p_agreement text,
  p_care date, p_domains text[], p_status text, p_reason text, p_claimed bigint, p_paid bigint, p_lines jsonb, p_consumption jsonb, p_rules text,
  p_today date, p_at timestamptz, p_professional bigint, p_site bigint, p_client text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  v_e engagement;
  v_domain text;
BEGIN
  PERFORM disclosure_scope(p_insurer);
  v_e := invoice_engagement(p_insurer, p_engagement, p_agreement, p_site);
  IF v_e.number IS NULL THEN
    RAISE EXCEPTION 'engagement % inconnu pour cette structure', coalesce(p_agreement, p_engagement) USING ERRCODE = '42501';
  END IF;
  PERFORM invoice_lock(p_insurer, v_e.beneficiary_id, p_domains, p_agreement, p_today);
  INSERT INTO invoice (insurer_id, number, site_id, lot, invoice_number, body_hash, beneficiary_id, engagement, prior_agreement, professional_id, client_id,
                       care_date, care_domains, status, reason, claimed_cents, paid_cents, lines, rules, decided_at)
  VALUES (p_insurer, p_number, p_site, p_lot, p_invoice, p_body_hash, v_e.beneficiary_id, v_e.number, p_agreement, p_professional, p_client,
          p_care, p_domains, p_status, p_reason, p_claimed, p_paid, p_lines, p_rules, p_at);
  IF p_status = 'rejected' THEN RETURN; END IF;
  IF p_agreement IS NOT NULL THEN
    UPDATE prior_agreement a SET status = 'invoiced' WHERE a.insurer_id = p_insurer AND a.number = p_agreement AND a.status IN ('granted', 'partial')
      RETURNING a.care_domain INTO v_domain;
    IF v_domain IS NULL THEN
      RAISE EXCEPTION 'accord % déjà facturé, annulé ou expiré', p_agreement USING ERRCODE = '55000';
    END IF;
    PERFORM prior_agreement_release(p_insurer, v_e.beneficiary_id, v_domain, ARRAY[p_agreement]);
  END IF;
  INSERT INTO ceiling_entry (insurer_id, beneficiary_id, care_domain, side, equipment, care_date, amount_cents, kind, source)
  SELECT p_insurer, v_e.beneficiary_id, c.domain, c.side, c.equipment, p_care, c."amountCents", 'consumed', p_number
    FROM jsonb_to_recordset(p_consumption) AS c(domain text, "amountCents" bigint, side text, equipment text);
END $$;

-- Consultation by the site that sent it, with the access record in the same statement.
-- Another site's number finds nothing.
CREATE FUNCTION disclose_invoice(
  p_insurer integer, p_number text,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (beneficiary_id bigint, stored jsonb)
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
  SELECT f.beneficiary_id, to_jsonb(f) FROM found f;
END $$;

-- The helpers run inside the doors only: nothing granted on them.
REVOKE ALL ON FUNCTION ceiling_entries_as_of(integer, bigint, text, date, date, text), invoice_engagement(integer, text, text, bigint), invoice_lock(integer, bigint, text[], text, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION
  disclose_invoice_terms(integer, text, text, text, text, date, text[], date, timestamptz, bigint, bigint, text, text, text, text, bytea),
  invoice_record(integer, text, text, text, bytea, text, text, date, text[], text, text, bigint, bigint, jsonb, jsonb, text, date, timestamptz, bigint, bigint, text),
  disclose_invoice(integer, text, bigint, bigint, text, text, text, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  disclose_invoice_terms(integer, text, text, text, text, date, text[], date, timestamptz, bigint, bigint, text, text, text, text, bytea),
  invoice_record(integer, text, text, text, bytea, text, text, date, text[], text, text, bigint, bigint, jsonb, jsonb, text, date, timestamptz, bigint, bigint, text),
  disclose_invoice(integer, text, bigint, bigint, text, text, text, text, bytea) TO rempart_serve, rempart_app;
