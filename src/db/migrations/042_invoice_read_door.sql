-- Since migration 041 the server reads an invoice's terms and its near duplicates through
-- disclose_invoice_read alone, which writes the access record. The two functions it calls
-- stay callable by it (it runs as their owner) but not by the serving roles: the near
-- duplicates' read (invoice_earlier) writes no access record of its own, so it was a way
-- round the one door, and the terms' read alone is no longer a path the server takes.
SET ROLE rempart_owner;

REVOKE EXECUTE ON FUNCTION
  invoice_earlier(integer, bigint, bigint, date),
  disclose_invoice_terms(integer, text, text, text, text, text, date, text[], date, timestamptz, bigint, bigint, text, text, text, text, bytea)
  FROM rempart_serve, rempart_app;
