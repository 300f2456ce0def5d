-- Prior agreements (PEC, issue 16 point 3): before optics, hearing aids and dental
-- prostheses, the professional sends a quote under an engagement; the insurer grants per
-- line, and a grant reserves its amounts on the ceilings (ceiling_entry, 024) until an
-- invoice consumes them, a cancellation or an expiry releases them.
SET ROLE rempart_owner;

-- Per insurer (issue 16: configurable). Six months by default: a standardised optical or
-- hearing quote is typically valid for about that long, and a longer hold would keep the
-- beneficiary's ceiling reserved for equipment never delivered. Tolerance 0 by default:
-- the granted amount is a maximum, the invoice may not exceed it (docs/practice-software.md).
ALTER TABLE insurer
  ADD COLUMN prior_agreement_validity_months smallint NOT NULL DEFAULT 6 CHECK (prior_agreement_validity_months BETWEEN 1 AND 24),
  ADD COLUMN prior_agreement_tolerance_cents integer NOT NULL DEFAULT 0 CHECK (prior_agreement_tolerance_cents >= 0);

-- Keys lead with insurer_id, like every tenant table, for a distributed (Citus) placement
-- by insurer. One care domain per agreement: one quote is one equipment's (optics,
-- hearing, dental), and one domain is one lock (below). The status is the decision, then
-- its end: 'expired' is written lazily (prior_agreement_expire) and read as such as soon as
-- valid_until has passed. `lines` keeps the quote's lines and their answer, as decided.
CREATE TABLE prior_agreement (
  insurer_id integer NOT NULL REFERENCES insurer,
  number text NOT NULL CHECK (number ~ '^P[0-9]{8,10}-[A-Z2-7]{16}$'),
  beneficiary_id bigint NOT NULL,
  engagement text NOT NULL,
  site_id bigint NOT NULL REFERENCES site,
  professional_id bigint NOT NULL REFERENCES professional,
  client_id text,
  care_domain text NOT NULL CHECK (care_domain ~ '^[A-Z]{3,4}$'),
  care_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('granted', 'partial', 'refused', 'cancelled', 'expired')),
  requested_cents bigint NOT NULL CHECK (requested_cents >= 0),
  granted_cents bigint NOT NULL CHECK (granted_cents >= 0),
  valid_until date NOT NULL,
  tolerance_cents integer NOT NULL CHECK (tolerance_cents >= 0),
  lines jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  cancelled_at timestamptz,
  PRIMARY KEY (insurer_id, number),
  FOREIGN KEY (insurer_id, beneficiary_id) REFERENCES beneficiary,
  FOREIGN KEY (insurer_id, engagement) REFERENCES engagement,
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX prior_agreement_beneficiary ON prior_agreement (insurer_id, beneficiary_id, care_domain, status);

ALTER TABLE prior_agreement ENABLE ROW LEVEL SECURITY;
ALTER TABLE prior_agreement FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON prior_agreement USING (insurer_id = current_insurer()) WITH CHECK (insurer_id = current_insurer());
-- Only the functions below change a status; nothing is ever deleted.
REVOKE UPDATE, DELETE, TRUNCATE ON prior_agreement FROM rempart_app;
-- It says what care a person is about to have: an identity table, nothing granted to rempart_serve (019).
INSERT INTO identity_table VALUES ('prior_agreement');

-- One writer at a time on a beneficiary's ceilings of one domain, held to the end of the
-- transaction (024's comment: an append-only ledger has no row to lock for a domain not
-- yet used). Every function that reads the ledger to decide, or appends to it, takes it
-- first; taking it twice in one transaction is harmless.
CREATE FUNCTION prior_agreement_lock(p_insurer integer, p_beneficiary bigint, p_domain text) RETURNS void
LANGUAGE sql
AS $$ SELECT pg_advisory_xact_lock(hashtextextended(p_insurer || ':' || p_beneficiary || ':' || p_domain, 0)) $$;

-- Releases the reservations of the named agreements: one 'released' entry per 'reserved'
-- one, same day, side and equipment, so that the period's sum and the last equipment
-- (ceiling-period.ts) net to nothing. Appended, never updated.
CREATE FUNCTION prior_agreement_release(p_insurer integer, p_beneficiary bigint, p_domain text, p_numbers text[]) RETURNS void
LANGUAGE sql
AS $$
  INSERT INTO ceiling_entry (insurer_id, beneficiary_id, care_domain, family, side, equipment, care_date, amount_cents, kind, source)
  SELECT insurer_id, beneficiary_id, care_domain, family, side, equipment, care_date, amount_cents, 'released', source
    FROM ceiling_entry
   WHERE insurer_id = p_insurer AND beneficiary_id = p_beneficiary AND care_domain = p_domain
     AND kind = 'reserved' AND source = ANY (p_numbers)
$$;

-- Expiry, lazily: under the lock, before the ledger is read for a new decision, the
-- beneficiary's agreements of the domain past their validity release their reservations
-- and become 'expired'. Lazily rather than by a scheduled sweep: nothing else reads the
-- reservations than a decision on the same beneficiary and domain, which takes the same
-- lock, so the release is always done before it matters, without a job to run or to
-- forget, and within the transaction that needs it.
CREATE FUNCTION prior_agreement_expire(p_insurer integer, p_beneficiary bigint, p_domain text, p_today date) RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE v_numbers text[];
BEGIN
  SELECT array_agg(number) INTO v_numbers FROM prior_agreement
   WHERE insurer_id = p_insurer AND beneficiary_id = p_beneficiary AND care_domain = p_domain
     AND status IN ('granted', 'partial') AND valid_until < p_today;
  IF v_numbers IS NULL THEN RETURN; END IF;
  PERFORM prior_agreement_release(p_insurer, p_beneficiary, p_domain, v_numbers);
  UPDATE prior_agreement SET status = 'expired' WHERE insurer_id = p_insurer AND number = ANY (v_numbers);
END $$;

-- The beneficiary an engagement designates for this site and professional, still open.
-- A prior agreement is asked under an engagement (IDB) rather than a card: the rights
-- check already matched the person, their rights and their product for this professional
-- and recorded it; the quote then discloses nothing new about who they are.
CREATE FUNCTION prior_agreement_beneficiary(p_insurer integer, p_engagement text, p_professional bigint, p_site bigint, p_at timestamptz) RETURNS bigint
LANGUAGE sql STABLE
AS $$
  SELECT e.beneficiary_id FROM engagement e
   WHERE e.insurer_id = p_insurer AND e.number = p_engagement AND e.site_id = p_site AND e.professional_id = p_professional
     AND e.cancelled_at IS NULL AND e.expires_at > p_at
$$;

-- The read of a decision: the beneficiary behind the engagement, the lock on (insurer,
-- beneficiary, domain), expired agreements released, then what the calculation needs —
-- disclose_coverage of 024's body for one domain, the ledger read after the lock — with
-- the insurer's validity and tolerance, and the access record ('prior_agreement'). The
-- lock is held until the transaction ends: the caller calculates, then writes with
-- prior_agreement_record in the same transaction, so a concurrent request on the same
-- ceilings reads the ledger only once this one's reservations are committed. Under READ
-- COMMITTED, each statement after the lock sees what the previous holder committed.
CREATE FUNCTION disclose_prior_agreement_terms(
  p_insurer integer, p_engagement text, p_domain text, p_today date, p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (beneficiary_id bigint, care_date date, engaged_domains text[], responsible boolean,
               care_domain text, basis text, rate_bp integer, flat_cents bigint, annual_ceiling_cents bigint,
               families jsonb, ceiling_period_months integer, ceiling_scope text, renewal_months integer, beneficiary_age smallint, entries jsonb,
               validity_months smallint, tolerance_cents integer)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE v_beneficiary bigint;
BEGIN
  PERFORM disclosure_scope(p_insurer);
  v_beneficiary := prior_agreement_beneficiary(p_insurer, p_engagement, p_professional, p_site, p_at);
  IF v_beneficiary IS NULL THEN RETURN; END IF;
  PERFORM prior_agreement_lock(p_insurer, v_beneficiary, p_domain);
  PERFORM prior_agreement_expire(p_insurer, v_beneficiary, p_domain, p_today);
  RETURN QUERY
  WITH found AS (
    SELECT e.beneficiary_id AS id, e.product_id, e.care_date AS day, e.care_domains AS engaged, p.responsible AS responsible_product, e.beneficiary_age AS age
      FROM engagement e JOIN product p ON p.insurer_id = e.insurer_id AND p.id = e.product_id
     WHERE e.insurer_id = p_insurer AND e.number = p_engagement
  ), recorded AS (
    INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
    SELECT p_insurer, f.id, p_professional, p_site, p_client, p_session, p_ip, p_device, 'prior_agreement', ARRAY[p_domain], 'covered', p_seal FROM found f
     WHERE p_domain = ANY (f.engaged)
  )
  SELECT f.id, f.day, f.engaged, f.responsible_product,
         g.care_domain, g.basis::text, g.rate_bp::integer, g.flat_cents::bigint, g.annual_ceiling_cents::bigint,
         g.families, g.ceiling_period_months, g.ceiling_scope, g.renewal_months, f.age,
         (SELECT coalesce(jsonb_agg(jsonb_build_object('careDate', m.care_date, 'amountCents', m.amount_cents, 'kind', m.kind, 'side', m.side, 'equipment', m.equipment)
                                    ORDER BY m.care_date, m.id), '[]'::jsonb)
            FROM ceiling_entry m
           WHERE m.insurer_id = p_insurer AND m.beneficiary_id = f.id AND m.care_domain = p_domain
             AND m.care_date > f.day - interval '121 months'),
         i.prior_agreement_validity_months, i.prior_agreement_tolerance_cents
    FROM found f
    JOIN insurer i ON i.id = p_insurer
    LEFT JOIN product_version v ON p_domain = ANY (f.engaged) AND v.insurer_id = p_insurer AND v.product_id = f.product_id
                             AND active_on(v.valid_from, v.valid_to, f.day)
    LEFT JOIN guarantee g ON g.insurer_id = v.insurer_id AND g.product_id = v.product_id AND g.version = v.version AND g.care_domain = p_domain;
END $$;

-- The decision, in the transaction of its read: the agreement and, for a grant, its
-- reservations ('reserved' entries carrying the line's side and equipment, so that the
-- renewal delay counts an agreed equipment as bought). The beneficiary is found again
-- from the engagement, never taken from the caller; the lock is taken again in case a
-- caller writes without having read (it then only queues, it does not decide).
-- p_reservations: [{amountCents, side ('D'|'G'|null), equipment ('glasses'|'hearing_aid'|null)}].
CREATE FUNCTION prior_agreement_record(
  p_insurer integer, p_engagement text, p_professional bigint, p_site bigint, p_client text, p_at timestamptz,
  p_number text, p_domain text, p_care date, p_status text, p_requested bigint, p_granted bigint,
  p_valid_until date, p_tolerance integer, p_lines jsonb, p_reservations jsonb)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE v_beneficiary bigint;
BEGIN
  PERFORM disclosure_scope(p_insurer);
  v_beneficiary := prior_agreement_beneficiary(p_insurer, p_engagement, p_professional, p_site, p_at);
  IF v_beneficiary IS NULL THEN
    RAISE EXCEPTION 'engagement % inconnu pour cette structure', p_engagement USING ERRCODE = '42501';
  END IF;
  IF p_status NOT IN ('granted', 'partial', 'refused') THEN
    RAISE EXCEPTION 'décision % impossible', p_status USING ERRCODE = '22023';
  END IF;
  PERFORM prior_agreement_lock(p_insurer, v_beneficiary, p_domain);
  INSERT INTO prior_agreement (insurer_id, number, beneficiary_id, engagement, site_id, professional_id, client_id, care_domain, care_date,
                               status, requested_cents, granted_cents, valid_until, tolerance_cents, lines, created_at)
  VALUES (p_insurer, p_number, v_beneficiary, p_engagement, p_site, p_professional, p_client, p_domain, p_care,
          p_status, p_requested, p_granted, p_valid_until, p_tolerance, p_lines, p_at);
  INSERT INTO ceiling_entry (insurer_id, beneficiary_id, care_domain, side, equipment, care_date, amount_cents, kind, source)
  SELECT p_insurer, v_beneficiary, p_domain, r.side, r.equipment, p_care, r."amountCents", 'reserved', p_number
    FROM jsonb_to_recordset(p_reservations) AS r("amountCents" bigint, side text, equipment text)
   WHERE p_status <> 'refused';
END $$;

-- Consultation, by the site that asked: the agreement with its status as of today (a
-- grant past its validity reads 'expired' before the lazy release has run), and the
-- access record. Another site's number finds nothing.
CREATE FUNCTION disclose_prior_agreement(
  p_insurer integer, p_number text, p_today date,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (beneficiary_id bigint, number text, engagement text, care_domain text, care_date date, status text, requested_cents bigint, granted_cents bigint,
               valid_until date, tolerance_cents integer, lines jsonb, created_at timestamptz, cancelled_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  PERFORM disclosure_scope(p_insurer);
  RETURN QUERY
  WITH found AS (
    SELECT a.*, CASE WHEN a.status IN ('granted', 'partial') AND a.valid_until < p_today THEN 'expired' ELSE a.status END AS now_status
      FROM prior_agreement a WHERE a.insurer_id = p_insurer AND a.number = p_number AND a.site_id = p_site
  ), recorded AS (
    INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
    SELECT p_insurer, f.beneficiary_id, p_professional, p_site, p_client, p_session, p_ip, p_device, 'prior_agreement', ARRAY[f.care_domain], 'covered', p_seal FROM found f
  )
  SELECT f.beneficiary_id, f.number, f.engagement, f.care_domain, f.care_date, f.now_status, f.requested_cents, f.granted_cents,
         f.valid_until, f.tolerance_cents, f.lines, f.created_at, f.cancelled_at
    FROM found f;
END $$;

-- Cancellation by the site that asked, under the lock of the agreement's ceilings: its
-- reservations released (reversal entries), the agreement 'cancelled'. Returns the status
-- found before, as of today: the caller refuses (and so rolls back) a cancelled or expired
-- one. A refused agreement reserved nothing; cancelling it only records the end.
CREATE FUNCTION cancel_prior_agreement(
  p_insurer integer, p_number text, p_today date, p_at timestamptz,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (previous_status text, beneficiary_id bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v prior_agreement;
  v_status text;
BEGIN
  PERFORM disclosure_scope(p_insurer);
  SELECT * INTO v FROM prior_agreement a WHERE a.insurer_id = p_insurer AND a.number = p_number AND a.site_id = p_site;
  IF NOT FOUND THEN RETURN; END IF;
  PERFORM prior_agreement_lock(p_insurer, v.beneficiary_id, v.care_domain);
  -- Read again under the lock: a concurrent cancellation may have just committed.
  SELECT CASE WHEN a.status IN ('granted', 'partial') AND a.valid_until < p_today THEN 'expired' ELSE a.status END INTO v_status
    FROM prior_agreement a WHERE a.insurer_id = p_insurer AND a.number = p_number;
  IF v_status IN ('granted', 'partial', 'refused') THEN
    PERFORM prior_agreement_release(p_insurer, v.beneficiary_id, v.care_domain, ARRAY[p_number]);
    UPDATE prior_agreement a SET status = 'cancelled', cancelled_at = p_at WHERE a.insurer_id = p_insurer AND a.number = p_number;
  END IF;
  INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
  VALUES (p_insurer, v.beneficiary_id, p_professional, p_site, p_client, p_session, p_ip, p_device, 'prior_agreement', ARRAY[v.care_domain], 'covered', p_seal);
  RETURN QUERY SELECT v_status, v.beneficiary_id;
END $$;

-- The helpers run inside the doors only: nothing granted on them.
REVOKE ALL ON FUNCTION prior_agreement_lock(integer, bigint, text), prior_agreement_release(integer, bigint, text, text[]),
  prior_agreement_expire(integer, bigint, text, date), prior_agreement_beneficiary(integer, text, bigint, bigint, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION
  disclose_prior_agreement_terms(integer, text, text, date, timestamptz, bigint, bigint, text, text, text, text, bytea),
  prior_agreement_record(integer, text, bigint, bigint, text, timestamptz, text, text, date, text, bigint, bigint, date, integer, jsonb, jsonb),
  disclose_prior_agreement(integer, text, date, bigint, bigint, text, text, text, text, bytea),
  cancel_prior_agreement(integer, text, date, timestamptz, bigint, bigint, text, text, text, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  disclose_prior_agreement_terms(integer, text, text, date, timestamptz, bigint, bigint, text, text, text, text, bytea),
  prior_agreement_record(integer, text, bigint, bigint, text, timestamptz, text, text, date, text, bigint, bigint, date, integer, jsonb, jsonb),
  disclose_prior_agreement(integer, text, date, bigint, bigint, text, text, text, text, bytea),
  cancel_prior_agreement(integer, text, date, timestamptz, bigint, bigint, text, text, text, text, bytea) TO rempart_serve, rempart_app;
