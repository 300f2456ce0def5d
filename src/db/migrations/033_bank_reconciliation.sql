-- Bank reconciliation (issue 18, point 4): the bank's camt.054 and camt.053 files tell what
-- became of each transfer of a run (src/payments/reconciliation). A booked debit settles
-- it; a return (with its ISO reason) sends it back, re-opens its invoices for the next run
-- and flags the account it went to; anything that does not match is kept for the operator.
-- 032's contract holds: nothing of a payment is updated by the application; its status
-- moves forward only, by the guarded functions below, once per transfer.
SET ROLE rempart_owner;

-- One row per imported file, keyed by its message id: the same file imported twice is
-- refused by the key itself (whichever of two concurrent imports commits second fails).
CREATE TABLE bank_statement (
  message_id text PRIMARY KEY CHECK (length(message_id) BETWEEN 1 AND 35),
  version text NOT NULL CHECK (version IN ('camt.054.001.08', 'camt.053.001.08')),
  created_at timestamptz NOT NULL,
  imported_at timestamptz NOT NULL,
  entries integer NOT NULL CHECK (entries >= 0),
  settled integer NOT NULL CHECK (settled >= 0),
  returned integer NOT NULL CHECK (returned >= 0),
  exceptions integer NOT NULL CHECK (exceptions >= 0)
);

-- The statements (Stmt) or notifications (Ntfctn) a file carries, by their own id: a bank
-- that sends the same statement again under a new message id is refused too.
CREATE TABLE bank_report (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 35),
  message_id text NOT NULL REFERENCES bank_statement DEFERRABLE INITIALLY DEFERRED
);

-- A transfer's fate as the bank told it, once (the key): settled on its booking day, or
-- returned with the ISO 20022 return reason (AC01, AC04, MD07…).
CREATE TABLE payment_outcome (
  payment text PRIMARY KEY REFERENCES payment,
  status text NOT NULL CHECK (status IN ('settled', 'returned')),
  booked_on date NOT NULL,
  reason text CHECK (reason ~ '^[A-Z0-9]{4}$'),
  message_id text NOT NULL REFERENCES bank_statement DEFERRABLE INITIALLY DEFERRED,
  CHECK ((status = 'returned') = (reason IS NOT NULL))
);

-- What the operator must look at: an entry that matches no transfer, or not as it should
-- (src/domain/payments/reconcile.ts names the kinds). Amounts in cents; never changed.
CREATE TABLE bank_exception (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id text NOT NULL REFERENCES bank_statement DEFERRABLE INITIALLY DEFERRED,
  entry text NOT NULL CHECK (length(entry) BETWEEN 1 AND 80),
  kind text NOT NULL CHECK (kind ~ '^[A-Z_]{1,40}$'),
  end_to_end_id text CHECK (length(end_to_end_id) BETWEEN 1 AND 35),
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
  booked_on date,
  reason text CHECK (reason ~ '^[A-Z0-9]{1,4}$')
);

-- An account version a transfer was returned from (the site's account in effect at its
-- run, with the transfer's IBAN): the next runs pay the site nothing while that version is
-- in effect (src/payments/runs/select.ts). Only a new version, proposed and confirmed like
-- any change (031), lifts it: the returned account is never paid again by itself.
CREATE TABLE site_account_flag (
  site_id bigint NOT NULL,
  version integer NOT NULL,
  payment text NOT NULL REFERENCES payment,
  reason text NOT NULL CHECK (reason ~ '^[A-Z0-9]{4}$'),
  flagged_at timestamptz NOT NULL,
  PRIMARY KEY (site_id, version, payment),
  FOREIGN KEY (site_id, version) REFERENCES site_bank_account
);

-- A payment's status moves only forward ('instructed' → 'settled' | 'returned'), and
-- nothing else of it ever changes, whoever writes (the owner's functions included).
CREATE FUNCTION payment_guard() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.status <> 'instructed' OR NEW.status NOT IN ('settled', 'returned')
     OR (NEW.id, NEW.run_date, NEW.iban, NEW.bic, NEW.holder, NEW.amount_cents, NEW.invoiced_cents, NEW.recovered_cents, NEW.remittance)
        IS DISTINCT FROM (OLD.id, OLD.run_date, OLD.iban, OLD.bic, OLD.holder, OLD.amount_cents, OLD.invoiced_cents, OLD.recovered_cents, OLD.remittance) THEN
    RAISE EXCEPTION 'virement % : % refusé, seul son statut avance, une fois', OLD.id, TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION payment_guard() FROM PUBLIC;
CREATE TRIGGER forward_only BEFORE UPDATE OR DELETE ON payment FOR EACH ROW EXECUTE FUNCTION payment_guard();

-- A returned row of payment_invoice is returned once, and nothing else of a row changes.
CREATE FUNCTION payment_invoice_guard() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.returned_at IS NOT NULL OR NEW.returned_at IS NULL
     OR (NEW.insurer_id, NEW.invoice, NEW.payment, NEW.site_id, NEW.paid_cents) IS DISTINCT FROM (OLD.insurer_id, OLD.invoice, OLD.payment, OLD.site_id, OLD.paid_cents)
     OR NOT EXISTS (SELECT 1 FROM payment p WHERE p.id = OLD.payment AND p.status = 'returned') THEN
    RAISE EXCEPTION 'facture % : seul le retour de son virement la rouvre, une fois', OLD.invoice USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION payment_invoice_guard() FROM PUBLIC;
CREATE TRIGGER returned_once BEFORE UPDATE OR DELETE ON payment_invoice FOR EACH ROW EXECUTE FUNCTION payment_invoice_guard();

-- Settles the transfers still instructed among p_payments, each on its booking day, for
-- the statement p_message. Returns those it settled: one already settled or returned is
-- not (the caller compares, and lists the others as exceptions).
CREATE FUNCTION payment_settle(p_message text, p_payments text[], p_booked date[]) RETURNS SETOF text
LANGUAGE sql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  WITH moved AS (
    UPDATE payment p SET status = 'settled'
      FROM unnest(p_payments, p_booked) AS m(payment, booked)
     WHERE p.id = m.payment AND p.status = 'instructed'
    RETURNING p.id, m.booked
  ), told AS (
    INSERT INTO payment_outcome (payment, status, booked_on, message_id)
    SELECT id, 'settled', booked, p_message FROM moved
    RETURNING payment
  )
  SELECT payment FROM told
$$;

-- A transfer still instructed, returned by the payee's bank with p_reason: its status, its
-- outcome, and a flag on each account version it was paid to (the version of each site it
-- paid in effect at its run, if still that IBAN). Its invoices are re-opened insurer by
-- insurer (payment_reopen). False when it was not instructed (an exception).
CREATE FUNCTION payment_return(p_message text, p_payment text, p_booked date, p_reason text, p_at timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE v payment;
BEGIN
  UPDATE payment SET status = 'returned' WHERE id = p_payment AND status = 'instructed' RETURNING * INTO v;
  IF v.id IS NULL THEN RETURN false; END IF;
  INSERT INTO payment_outcome (payment, status, booked_on, reason, message_id) VALUES (p_payment, 'returned', p_booked, p_reason, p_message);
  INSERT INTO site_account_flag (site_id, version, payment, reason, flagged_at)
  SELECT DISTINCT a.site_id, a.version, p_payment, p_reason, p_at
    FROM payment_part s JOIN payment_run r ON r.run_date = v.run_date
    CROSS JOIN LATERAL site_account_at(s.site_id, r.started_at) a
   WHERE s.payment = p_payment AND a.iban = v.iban;
  RETURN true;
END $$;

-- The transaction's insurer's invoices a returned transfer paid, payable again: their link
-- marked returned (out of 032's "paid once" index) and the invoice's payment cleared, so
-- that payable_invoices finds them for the next run and a cancellation makes no recovery
-- of what was never paid. Returns how many.
CREATE FUNCTION payment_reopen(p_payment text, p_at timestamptz) RETURNS integer
LANGUAGE sql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  WITH back AS (
    UPDATE payment_invoice l SET returned_at = p_at
     WHERE l.insurer_id = invoice_reader_scope() AND l.payment = p_payment AND l.returned_at IS NULL
    RETURNING l.insurer_id, l.invoice
  ), cleared AS (
    UPDATE invoice i SET payment = NULL FROM back b
     WHERE i.insurer_id = b.insurer_id AND i.number = b.invoice AND i.payment = p_payment
    RETURNING 1
  )
  SELECT count(*)::integer FROM cleared
$$;

-- The account versions in effect at p_at among p_sites that a returned transfer flagged.
CREATE FUNCTION site_accounts_flagged(p_sites bigint[], p_at timestamptz) RETURNS SETOF bigint
LANGUAGE sql STABLE
SET search_path = public, pg_temp
AS $$
  SELECT s.site FROM unnest(p_sites) AS s(site) CROSS JOIN LATERAL site_account_at(s.site, p_at) a
   WHERE EXISTS (SELECT 1 FROM site_account_flag f WHERE f.site_id = a.site_id AND f.version = a.version)
$$;

-- The last returned transfer of each of p_invoices, for the transaction's insurer: what the
-- invoices' returns tell the site once the bank has returned it (the invoice has no payment
-- then, until a later run pays it again). Numbers, days and the ISO reason only.
CREATE FUNCTION payment_returns_of(p_invoices text[])
RETURNS TABLE (invoice text, payment text, booked_on date, reason text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT DISTINCT ON (l.invoice) l.invoice, l.payment, o.booked_on, o.reason
    FROM payment_invoice l JOIN payment_outcome o ON o.payment = l.payment
   WHERE l.insurer_id = invoice_reader_scope() AND l.invoice = ANY(p_invoices) AND l.returned_at IS NOT NULL
   ORDER BY l.invoice, l.returned_at DESC
$$;
REVOKE ALL ON FUNCTION payment_returns_of(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payment_returns_of(text[]) TO rempart_app, rempart_serve;

-- Appended by the import, never changed. The import runs from the command (application
-- role) and from the operator's route (serving role): both write only these rows, and a
-- payment's fate only through the functions.
REVOKE ALL ON bank_statement, bank_report, payment_outcome, bank_exception, site_account_flag FROM rempart_app;
GRANT SELECT, INSERT ON bank_statement, bank_report, bank_exception TO rempart_app, rempart_serve;
GRANT SELECT ON payment_outcome, site_account_flag TO rempart_app, rempart_serve;

REVOKE ALL ON FUNCTION payment_settle(text, text[], date[]), payment_return(text, text, date, text, timestamptz), payment_reopen(text, timestamptz),
  site_accounts_flagged(bigint[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payment_settle(text, text[], date[]), payment_return(text, text, date, text, timestamptz), payment_reopen(text, timestamptz),
  site_accounts_flagged(bigint[], timestamptz) TO rempart_app, rempart_serve;
