-- Prior agreements for hospital stays (MONEY.md §6): a HOSP agreement keeps the stay it
-- was asked for — expected days, private room — beside its lines, so that a consultation
-- answers what the request answered and an invoice can later be held to it. The stay is
-- written once with the agreement and never changed; equipment agreements have none.
SET ROLE rempart_owner;

ALTER TABLE prior_agreement
  ADD COLUMN stay jsonb CHECK (stay IS NULL OR (care_domain = 'HOSP' AND jsonb_typeof(stay) = 'object'));

-- prior_agreement_record and disclose_prior_agreement of 025, with the stay: their
-- signature or result type changes, so they are dropped and made again; the rest of
-- their bodies is 025's, unchanged.
DROP FUNCTION prior_agreement_record(integer, text, bigint, bigint, text, timestamptz, text, text, date, text, bigint, bigint, date, integer, jsonb, jsonb);
DROP FUNCTION disclose_prior_agreement(integer, text, date, bigint, bigint, text, text, text, text, bytea);

-- p_stay: {expectedDays, privateRoom} for HOSP, null otherwise (src/domain/coverage/hospital-stay.ts).
CREATE FUNCTION prior_agreement_record(
  p_insurer integer, p_engagement text, p_professional bigint, p_site bigint, p_client text, p_at timestamptz,
  p_number text, p_domain text, p_care date, p_status text, p_requested bigint, p_granted bigint,
  p_valid_until date, p_tolerance integer, p_lines jsonb, p_reservations jsonb, p_stay jsonb)
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
                               status, requested_cents, granted_cents, valid_until, tolerance_cents, lines, created_at, stay)
  VALUES (p_insurer, p_number, v_beneficiary, p_engagement, p_site, p_professional, p_client, p_domain, p_care,
          p_status, p_requested, p_granted, p_valid_until, p_tolerance, p_lines, p_at, p_stay);
  INSERT INTO ceiling_entry (insurer_id, beneficiary_id, care_domain, side, equipment, care_date, amount_cents, kind, source)
  SELECT p_insurer, v_beneficiary, p_domain, r.side, r.equipment, p_care, r."amountCents", 'reserved', p_number
    FROM jsonb_to_recordset(p_reservations) AS r("amountCents" bigint, side text, equipment text)
   WHERE p_status <> 'refused';
END $$;

CREATE FUNCTION disclose_prior_agreement(
  p_insurer integer, p_number text, p_today date,
  p_professional bigint, p_site bigint, p_client text, p_session text, p_ip text, p_device text, p_seal bytea)
RETURNS TABLE (beneficiary_id bigint, number text, engagement text, care_domain text, care_date date, status text, requested_cents bigint, granted_cents bigint,
               valid_until date, tolerance_cents integer, lines jsonb, created_at timestamptz, cancelled_at timestamptz, stay jsonb)
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
         f.valid_until, f.tolerance_cents, f.lines, f.created_at, f.cancelled_at, f.stay
    FROM found f;
END $$;

REVOKE ALL ON FUNCTION prior_agreement_record(integer, text, bigint, bigint, text, timestamptz, text, text, date, text, bigint, bigint, date, integer, jsonb, jsonb, jsonb), disclose_prior_agreement(integer, text, date, bigint, bigint, text, text, text, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION prior_agreement_record(integer, text, bigint, bigint, text, timestamptz, text, text, date, text, bigint, bigint, date, integer, jsonb, jsonb, jsonb), disclose_prior_agreement(integer, text, date, bigint, bigint, text, text, text, text, bytea) TO rempart_serve, rempart_app;
