-- Transparency (THREATS.md point 10, issue 6 point 4): each insured person can see who
-- checked their rights. The insurer's member portal, where the person is already logged
-- in, asks for it as a client of its own; a short-lived link opens the same history on a
-- page of the platform. Reading the history is itself a disclosure (which professionals a
-- person sees), so each read is recorded, append-only.
SET ROLE rempart_owner;

-- A client acts for one site (practice software) or for one insurer (its member portal):
-- the same registration, keys, private_key_jwt and DPoP, a different binding.
ALTER TABLE client ALTER COLUMN site_id DROP NOT NULL,
  ADD COLUMN insurer_id integer REFERENCES insurer,
  ADD CONSTRAINT client_one_binding CHECK (num_nonnulls(site_id, insurer_id) = 1);
CREATE INDEX client_insurer ON client (insurer_id);

-- A link to the history page, for one beneficiary: only the SHA-256 of its token is kept
-- (256 random bits: a dump gives no usable link). Used once, within minutes. The token
-- names its insurer (like an engagement number), so the page finds the row in that
-- insurer's scope, under the same row-level security as the registry.
CREATE TABLE transparency_link (
  insurer_id integer NOT NULL,
  token_hash bytea NOT NULL CHECK (octet_length(token_hash) = 32),
  beneficiary_id bigint NOT NULL,
  client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 64),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (insurer_id, token_hash),
  FOREIGN KEY (insurer_id, beneficiary_id) REFERENCES beneficiary,
  CHECK (expires_at > created_at)
);

ALTER TABLE transparency_link ENABLE ROW LEVEL SECURITY;
ALTER TABLE transparency_link FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON transparency_link
  USING (insurer_id = current_insurer()) WITH CHECK (insurer_id = current_insurer());
-- A link is spent (used_at), never removed: who asked for whose page stays known.
REVOKE DELETE, TRUNCATE ON transparency_link FROM rempart_app;

-- Every read of a history: by the portal through the API, or by the person on the page.
-- As for the access log, the database sets id and time (column grants below), and no
-- foreign key: a record outlives the rows it names and locks none of them.
CREATE TABLE transparency_read (
  insurer_id integer NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  at timestamptz NOT NULL DEFAULT now(),
  beneficiary_id bigint NOT NULL CHECK (beneficiary_id BETWEEN 1 AND 999999999999),
  -- The portal that read, or that issued the link the page was opened with.
  client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 64),
  channel text NOT NULL CHECK (channel IN ('api', 'page')),
  ip text NOT NULL CHECK (ip ~ '^[0-9A-Fa-f:.]{2,45}$'),
  -- The portal's DPoP key thumbprint, or the browser's user agent.
  device text CHECK (length(device) <= 200),
  -- How many access records were shown.
  entries integer NOT NULL CHECK (entries >= 0),
  PRIMARY KEY (insurer_id, id)
);
CREATE INDEX transparency_read_beneficiary ON transparency_read (insurer_id, beneficiary_id, at);

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON transparency_read
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER no_rewrite BEFORE UPDATE OR DELETE OR TRUNCATE ON transparency_read
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

REVOKE ALL ON transparency_read FROM rempart_app, PUBLIC;
GRANT SELECT ON transparency_read TO rempart_app;
GRANT INSERT (insurer_id, beneficiary_id, client_id, channel, ip, device, entries) ON transparency_read TO rempart_app;

-- The insurer reads and writes its own members' lines; the platform scope (the operator's
-- security team) sees all of them.
ALTER TABLE transparency_read ENABLE ROW LEVEL SECURITY;
ALTER TABLE transparency_read FORCE ROW LEVEL SECURITY;
CREATE POLICY insurer_or_platform ON transparency_read
  USING (current_insurer() IS NULL OR insurer_id = current_insurer())
  WITH CHECK (current_insurer() IS NULL OR insurer_id = current_insurer());
