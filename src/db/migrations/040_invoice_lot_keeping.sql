-- A decided lot's answer is kept for its software to follow the lot, not for ever: the
-- returns (migration 029) carry every decision, the lot's sealed answer only repeats them.
-- The worker forgets answers older than a month (src/invoices/lot-worker.ts); the lot stays
-- `done`, and its status then shows `traite` without the invoices, as when an answer no
-- longer opens. A lot waiting or running still always has its sealed request.
SET ROLE rempart_owner;

ALTER TABLE invoice_lot DROP CONSTRAINT invoice_lot_check3,
  ADD CONSTRAINT invoice_lot_sealed CHECK (CASE status WHEN 'stopped' THEN sealed IS NULL WHEN 'done' THEN true ELSE sealed IS NOT NULL END);

-- The worker's sweep: the answers still kept, oldest first.
CREATE INDEX invoice_lot_answered ON invoice_lot (decided_at) WHERE status = 'done' AND sealed IS NOT NULL;
