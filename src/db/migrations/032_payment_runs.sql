-- Payment runs (issue 18, points 2, 5 and 6): once a day, every accepted invoice not yet
-- in a live payment becomes part of one credit transfer per payee account
-- (src/domain/payments), written with the run in one transaction (src/payments/runs).
-- Exactly once is the database's: an invoice is in at most one live payment (a unique
-- partial index), a day is run once (the run's key), and nothing here is updated by the
-- application: a transfer's later fate (settled, returned) will be a transition made by a
-- guarded function of the reconciliation (issue 18, point 4).
SET ROLE rempart_owner;

-- One row per run day, inserted last in the run's transaction. `cut_off_at`: the end of
-- the run day, or the instant the run started when it ran on that day: the invoices
-- decided before it are the run's, and it is the file's CreDtTm, so that the file made
-- again from the stored run has the same bytes. Platform-wide (a reference table in a
-- sharded deployment): a transfer pays several insurers' invoices.
CREATE TABLE payment_run (
  run_date date PRIMARY KEY,
  started_at timestamptz NOT NULL,
  cut_off_at timestamptz NOT NULL CHECK (cut_off_at <= started_at),
  -- The day the bank is asked to pay (ReqdExctnDt): the run day, or the day it was run when
  -- later (a bank refuses a day past); stored, so that the file made again keeps it.
  execution_date date NOT NULL CHECK (execution_date >= run_date),
  recorded_at timestamptz NOT NULL,
  message_id text NOT NULL UNIQUE CHECK (message_id ~ '^RM[0-9]{8}-[0-9]{3}$'),
  version text NOT NULL CHECK (version IN ('pain.001.001.09', 'pain.001.001.03')),
  transfer_count integer NOT NULL CHECK (transfer_count >= 0),
  invoice_count bigint NOT NULL CHECK (invoice_count >= 0),
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
  recovered_cents bigint NOT NULL CHECK (recovered_cents >= 0),
  -- What waited (src/domain/payments Withheld): [{reason, siteIds, invoices, owedCents}], counts only.
  withheld jsonb NOT NULL
);

-- One transfer: its id is the EndToEndId (paymentIdOf). The account is copied from
-- site_account_at at the run (migration 031's contract): a later change of the site's
-- account never moves a payment already made. `status` moves only forward, and only by the
-- reconciliation's functions (to come): 'instructed' → 'settled' | 'returned'.
CREATE TABLE payment (
  id text PRIMARY KEY CHECK (id ~ '^RP[0-9]{8}-[0-9A-Z]{13}$'),
  run_date date NOT NULL REFERENCES payment_run DEFERRABLE INITIALLY DEFERRED,
  iban text NOT NULL CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
  bic text NOT NULL CHECK (bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
  holder text NOT NULL CHECK (length(holder) BETWEEN 1 AND 70),
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  invoiced_cents bigint NOT NULL,
  recovered_cents bigint NOT NULL CHECK (recovered_cents >= 0),
  remittance text NOT NULL CHECK (length(remittance) BETWEEN 1 AND 140),
  status text NOT NULL DEFAULT 'instructed' CHECK (status IN ('instructed', 'settled', 'returned')),
  CHECK (amount_cents = invoiced_cents - recovered_cents),
  UNIQUE (run_date, iban)
);

-- A transfer's share per site and insurer: the run plans on these sums (one per
-- (insurer, site), summed in SQL: memory flat in the number of invoices), and a site's
-- tracking reads its own shares, never another site's paid to the same account. Counts
-- and amounts only: no invoice, no person.
CREATE TABLE payment_part (
  payment text NOT NULL REFERENCES payment,
  site_id bigint NOT NULL REFERENCES site,
  insurer_id integer NOT NULL REFERENCES insurer,
  invoice_count integer NOT NULL CHECK (invoice_count >= 0),
  invoiced_cents bigint NOT NULL CHECK (invoiced_cents >= 0),
  recovery_count integer NOT NULL CHECK (recovery_count >= 0),
  recovered_cents bigint NOT NULL CHECK (recovered_cents >= 0),
  PRIMARY KEY (payment, site_id, insurer_id)
);
CREATE INDEX payment_part_site ON payment_part (site_id, payment);

-- Each invoice a transfer pays (the invoice itself names its payment too: invoice.payment, 029). Keys lead with insurer_id (the distribution key), under
-- the insurer's row-level security. THE constraint of "paid once": at most one live row
-- per invoice. A returned transfer will mark its rows returned (returned_at, set once by
-- the reconciliation's guarded function), which takes them out of the index: the
-- invoice is then payable again, by a later run, in a new row.
CREATE TABLE payment_invoice (
  insurer_id integer NOT NULL,
  invoice text NOT NULL,
  payment text NOT NULL REFERENCES payment,
  site_id bigint NOT NULL,
  paid_cents bigint NOT NULL CHECK (paid_cents > 0),
  returned_at timestamptz,
  PRIMARY KEY (insurer_id, invoice, payment),
  FOREIGN KEY (insurer_id, invoice) REFERENCES invoice
);
CREATE UNIQUE INDEX payment_invoice_live ON payment_invoice (insurer_id, invoice) WHERE returned_at IS NULL;
CREATE INDEX payment_invoice_payment ON payment_invoice (insurer_id, payment);

-- What each insurer funds for a run day (src/domain/payments funding.ts): its invoices in
-- the day's transfers less its own recoveries netted; negative when they outweigh them.
CREATE TABLE insurer_funding (
  insurer_id integer NOT NULL REFERENCES insurer,
  run_date date NOT NULL REFERENCES payment_run DEFERRABLE INITIALLY DEFERRED,
  invoice_count integer NOT NULL CHECK (invoice_count >= 0),
  invoiced_cents bigint NOT NULL CHECK (invoiced_cents >= 0),
  recovery_count integer NOT NULL CHECK (recovery_count >= 0),
  recovered_cents bigint NOT NULL CHECK (recovered_cents >= 0),
  funding_cents bigint NOT NULL,
  PRIMARY KEY (insurer_id, run_date),
  CHECK (funding_cents = invoiced_cents - recovered_cents)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payment_invoice', 'insurer_funding'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (insurer_id = current_insurer()) WITH CHECK (insurer_id = current_insurer())', t);
  END LOOP;
END $$;

-- Appended by the run, never changed by the application; invoices are linked only by
-- payment_link below, which applies the payable rule itself.
REVOKE UPDATE, DELETE, TRUNCATE ON payment_run, payment, payment_part, payment_invoice, insurer_funding FROM rempart_app;
REVOKE INSERT ON payment_invoice FROM rempart_app;
-- Professionals' tracking reads transfers and their own shares; agents their own funding (RLS).
GRANT SELECT ON payment_run, payment, payment_part, insurer_funding TO rempart_serve;

-- The invoices of the transaction's insurer a run decided up to p_until pays: accepted
-- (paid or partly paid), not cancelled, and not paid yet (invoice.payment, 029: set by
-- payment_link below, in the same statement as the invoice's live link). Plain SQL so that
-- it inlines into both callers below, which therefore apply one rule.
CREATE FUNCTION payable_invoices(p_until timestamptz) RETURNS SETOF invoice
LANGUAGE sql STABLE
AS $$
  SELECT i.* FROM invoice i
   WHERE i.insurer_id = invoice_reader_scope()
     AND i.status IN ('paid', 'partly_paid')
     AND i.payment IS NULL
     AND i.decided_at < p_until
     AND NOT EXISTS (SELECT 1 FROM invoice_cancellation c WHERE c.insurer_id = i.insurer_id AND c.invoice = i.number)
$$;
-- What a run reads: the invoices still to pay, and no more, whatever the history holds.
CREATE INDEX invoice_unpaid ON invoice (insurer_id, site_id, decided_at) WHERE payment IS NULL AND status IN ('paid', 'partly_paid');

-- What the run plans on, for the transaction's insurer: per site, how many payable
-- invoices, their sum and the last day of decision.
CREATE FUNCTION payable_sums(p_until timestamptz)
RETURNS TABLE (site_id bigint, invoices integer, paid_cents bigint, last_decided date)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT i.site_id, count(*)::integer, sum(i.paid_cents)::bigint, max((i.decided_at AT TIME ZONE 'UTC')::date)
    FROM payable_invoices(p_until) i
   GROUP BY i.site_id
   ORDER BY i.site_id
$$;

-- The run's link of the transaction's insurer's invoices to their transfers, in one
-- statement: each payable invoice of a site of p_sites to the payment at the same place of
-- p_payments, set on the invoice (029's invoice.payment: the UPDATE takes the row lock a
-- cancellation takes, so whichever comes second sees the first — a cancellation after it
-- makes a recovery) and linked (payment_invoice, the "once" index). Returns what it linked
-- per site, which the run compares with what it planned (an invoice committed in between
-- would otherwise be paid without being counted).
CREATE FUNCTION payment_link(p_until timestamptz, p_sites bigint[], p_payments text[])
RETURNS TABLE (site_id bigint, invoices integer, paid_cents bigint)
LANGUAGE sql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  WITH chosen AS (
    SELECT i.insurer_id, i.number, m.payment
      FROM payable_invoices(p_until) i
      JOIN unnest(p_sites, p_payments) AS m(site_id, payment) ON m.site_id = i.site_id
  ), paid AS (
    UPDATE invoice i SET payment = c.payment FROM chosen c
     WHERE i.insurer_id = c.insurer_id AND i.number = c.number AND i.payment IS NULL
    RETURNING i.insurer_id, i.number, i.payment, i.site_id, i.paid_cents
  ), linked AS (
    INSERT INTO payment_invoice (insurer_id, invoice, payment, site_id, paid_cents)
    SELECT p.insurer_id, p.number, p.payment, p.site_id, p.paid_cents FROM paid p
    RETURNING payment_invoice.site_id, payment_invoice.paid_cents
  )
  SELECT l.site_id, count(*)::integer, sum(l.paid_cents)::bigint FROM linked l GROUP BY l.site_id ORDER BY l.site_id
$$;

-- The transaction's insurer's recoveries (029) a run nets, each to the transfer at the same
-- place: netted_by set, once (the trigger below). Returns how many, which the run compares
-- with its plan.
CREATE FUNCTION payment_net(p_invoices text[], p_payments text[]) RETURNS integer
LANGUAGE sql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  WITH netted AS (
    UPDATE invoice_recovery r SET netted_by = m.payment
      FROM unnest(p_invoices, p_payments) AS m(invoice, payment)
     WHERE r.insurer_id = invoice_reader_scope() AND r.invoice = m.invoice AND r.netted_by IS NULL
    RETURNING 1
  )
  SELECT count(*)::integer FROM netted
$$;

-- A recovery is netted once, by a transfer that exists, and is otherwise never changed.
CREATE FUNCTION invoice_recovery_guard() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.netted_by IS NOT NULL
     OR (NEW.insurer_id, NEW.invoice, NEW.site_id, NEW.payment, NEW.amount_cents, NEW.created_at)
        IS DISTINCT FROM (OLD.insurer_id, OLD.invoice, OLD.site_id, OLD.payment, OLD.amount_cents, OLD.created_at)
     OR NOT EXISTS (SELECT 1 FROM payment p WHERE p.id = NEW.netted_by) THEN
    RAISE EXCEPTION 'récupération % : seul son virement est inscrit, une fois', OLD.invoice USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION invoice_recovery_guard() FROM PUBLIC;
CREATE TRIGGER netted_once BEFORE UPDATE OR DELETE ON invoice_recovery FOR EACH ROW EXECUTE FUNCTION invoice_recovery_guard();

-- A site's invoices in one transfer, for the transaction's insurer: the platform's number,
-- the sender's lot and number, the amounts. No beneficiary and no care: the remittance a
-- site's software matches against the invoices it sent.
CREATE FUNCTION payment_site_invoices(p_payment text, p_site bigint)
RETURNS TABLE (number text, lot text, invoice_number text, claimed_cents bigint, paid_cents bigint, decided_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT i.number, i.lot, i.invoice_number, i.claimed_cents, l.paid_cents, i.decided_at
    FROM payment_invoice l JOIN invoice i ON i.insurer_id = l.insurer_id AND i.number = l.invoice
   WHERE l.insurer_id = invoice_reader_scope() AND l.payment = p_payment AND l.site_id = p_site
   ORDER BY i.number
$$;

-- The recoveries of a site one transfer netted, for the transaction's insurer: the
-- cancelled invoice's number and the amount taken back.
CREATE FUNCTION payment_site_recoveries(p_payment text, p_site bigint)
RETURNS TABLE (invoice text, amount_cents bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT r.invoice, r.amount_cents FROM invoice_recovery r
   WHERE r.insurer_id = invoice_reader_scope() AND r.netted_by = p_payment AND r.site_id = p_site
   ORDER BY r.invoice
$$;

REVOKE ALL ON FUNCTION payable_invoices(timestamptz), payable_sums(timestamptz), payment_link(timestamptz, bigint[], text[]), payment_net(text[], text[]),
  payment_site_invoices(text, bigint), payment_site_recoveries(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payable_sums(timestamptz), payment_link(timestamptz, bigint[], text[]), payment_net(text[], text[]) TO rempart_app;
GRANT EXECUTE ON FUNCTION payment_site_invoices(text, bigint), payment_site_recoveries(text, bigint) TO rempart_serve, rempart_app;

