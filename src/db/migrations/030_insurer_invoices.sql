-- The insurer's side of invoices (issue 17, point 5): its agents list the invoices decided
-- for it, the rejections by reason and what it must fund per day of decision. `invoice`
-- is an identity table, nothing granted to the serving role: these functions read it as
-- its owner, under its forced row-level security, in the scope the transaction opened
-- (the agent's insurer, taken from the staff account). They take no insurer: an agent
-- cannot name another one, and outside an insurer's scope they refuse. What they return
-- never names the beneficiary (no internal id, no NIR, no name): paying and reviewing
-- claims does not need to know who was cared for, so no access record is due either.
SET ROLE rempart_owner;

-- Newest first within a period, the key of the list's pages.
CREATE INDEX invoice_decided ON invoice (insurer_id, decided_at DESC, number DESC);

-- The transaction's insurer; outside any insurer's scope, a refusal rather than nothing.
CREATE FUNCTION invoice_reader_scope() RETURNS integer
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
  IF current_insurer() IS NULL THEN
    RAISE EXCEPTION 'factures d’un organisme : aucune portée d’organisme ouverte' USING ERRCODE = '42501';
  END IF;
  RETURN current_insurer();
END $$;

-- The invoices of the transaction's insurer decided from p_from to p_to inclusive (UTC
-- days). Plain SQL without SET so that the planner inlines it into its callers (which set
-- search_path themselves): a page then reads its rows from the index, not the whole period.
CREATE FUNCTION insurer_invoices_decided(p_from date, p_to date) RETURNS SETOF invoice
LANGUAGE sql STABLE
AS $$
  SELECT i.* FROM invoice i
   WHERE i.insurer_id = invoice_reader_scope()
     AND i.decided_at >= p_from::timestamp AT TIME ZONE 'UTC'
     AND i.decided_at < (p_to + 1)::timestamp AT TIME ZONE 'UTC'
$$;

-- One page of the list, newest first, after the (decided_at, number) of the previous page's
-- last row (p_after_micros: microseconds since the epoch). Status and reason filter when given.
CREATE FUNCTION insurer_invoices(p_from date, p_to date, p_status text, p_reason text, p_after_micros bigint, p_after_number text, p_limit integer)
RETURNS TABLE (number text, finess text, siret text, rpps text, care_date date, care_domains text[], status text, reason text,
               claimed_cents bigint, paid_cents bigint, decided_at timestamptz, decided_micros bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT i.number, s.finess, s.siret, p.rpps, i.care_date, i.care_domains, i.status, i.reason, i.claimed_cents, i.paid_cents, i.decided_at,
         (extract(epoch FROM i.decided_at) * 1000000)::bigint
    FROM insurer_invoices_decided(p_from, p_to) i
    JOIN site s ON s.id = i.site_id
    JOIN professional p ON p.id = i.professional_id
   WHERE (p_status IS NULL OR i.status = p_status)
     AND (p_reason IS NULL OR i.reason = p_reason)
     AND (p_after_micros IS NULL OR (i.decided_at, i.number) < (timestamptz 'epoch' + p_after_micros * interval '1 microsecond', p_after_number))
   ORDER BY i.decided_at DESC, i.number DESC
   LIMIT p_limit
$$;

-- Invoices rejected or reduced in the period, by the reason of the rejection or first cut:
-- how many of each, what was claimed, and what was not paid of it.
CREATE FUNCTION insurer_invoice_rejections(p_from date, p_to date)
RETURNS TABLE (reason text, rejected bigint, reduced bigint, claimed_cents bigint, unpaid_cents bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT i.reason, count(*) FILTER (WHERE i.status = 'rejected'), count(*) FILTER (WHERE i.status = 'partly_paid'),
         sum(i.claimed_cents)::bigint, sum(i.claimed_cents - i.paid_cents)::bigint
    FROM insurer_invoices_decided(p_from, p_to) i
   WHERE i.status <> 'paid' AND i.reason IS NOT NULL
   GROUP BY i.reason
   ORDER BY 5 DESC, 1
$$;

-- What the insurer must fund, per UTC day of decision: the paid part of its paid and
-- partly paid invoices. Cancellations and payment runs (issue 18) will net it later.
CREATE FUNCTION insurer_invoice_due(p_from date, p_to date)
RETURNS TABLE (day date, invoices bigint, due_cents bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT (i.decided_at AT TIME ZONE 'UTC')::date, count(*), sum(i.paid_cents)::bigint
    FROM insurer_invoices_decided(p_from, p_to) i
   WHERE i.status IN ('paid', 'partly_paid')
   GROUP BY 1
   ORDER BY 1
$$;

REVOKE ALL ON FUNCTION invoice_reader_scope(), insurer_invoices_decided(date, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION
  insurer_invoices(date, date, text, text, bigint, text, integer), insurer_invoice_rejections(date, date), insurer_invoice_due(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  insurer_invoices(date, date, text, text, bigint, text, integer), insurer_invoice_rejections(date, date), insurer_invoice_due(date, date) TO rempart_serve, rempart_app;
