-- Lots acknowledged at once, adjudicated after (issue 17, point 1): a lot sent with
-- `Prefer: respond-async` is checked as a synchronous one, then kept here, one row, until
-- a worker of any instance (src/invoices/lot-worker.ts) decides its invoices one by one
-- with the existing adjudication. The row keeps no personal data in clear: the lot as sent
-- and its caller are sealed under a key of their own wrapped by the master key
-- (src/vault/apart.ts), and once the lot is decided that seal is replaced by the answer's,
-- so nothing of the request is left. The site, the lot's name, its size and its hash are
-- what the intake's idempotence and the status need.
SET ROLE rempart_owner;

CREATE TABLE invoice_lot (
  site_id bigint NOT NULL REFERENCES site,
  lot text NOT NULL CHECK (length(lot) BETWEEN 1 AND 40),
  received_at timestamptz NOT NULL,
  invoices integer NOT NULL CHECK (invoices BETWEEN 1 AND 100),
  -- SHA-256 of the invoices' own hashes in the lot's order (those invoice.body_hash keeps):
  -- the same lot resent is the same hash, any other content another one.
  body_hash bytea NOT NULL CHECK (length(body_hash) = 32),
  -- queued → running (claimed, under a lease) → done, or stopped with the code that stopped it.
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'stopped')),
  -- A lot whose lease has passed while running was claimed by an instance that died: taken again.
  lease_until timestamptz,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- Before the decision the lot and its caller, after it the answer: sealed, never both;
  -- nothing once stopped (the decisions made are in invoice, the lot resent gets them back).
  sealed bytea,
  stopped_code text,
  decided_at timestamptz,
  PRIMARY KEY (site_id, lot),
  CHECK ((status = 'running') = (lease_until IS NOT NULL)),
  CHECK ((status = 'stopped') = (stopped_code IS NOT NULL)),
  CHECK ((status = 'stopped') = (sealed IS NULL)),
  CHECK ((status IN ('done', 'stopped')) = (decided_at IS NOT NULL))
);
-- The workers' claim: the oldest lot waiting, or whose lease ran out.
CREATE INDEX invoice_lot_waiting ON invoice_lot (received_at) WHERE status IN ('queued', 'running');

-- Lots belong to sites, not to an insurer: the platform scope only, as the server runs them.
ALTER TABLE invoice_lot ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_lot FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON invoice_lot USING (current_insurer() IS NULL) WITH CHECK (current_insurer() IS NULL);

-- The server takes, claims and decides lots (rempart_serve, migration 019); nothing deletes one.
REVOKE ALL ON invoice_lot FROM rempart_app, PUBLIC;
GRANT SELECT, INSERT, UPDATE ON invoice_lot TO rempart_app, rempart_serve;
