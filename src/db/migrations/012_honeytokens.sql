-- Honeytokens (THREATS.md point 5): fabricated beneficiaries planted in an insurer's
-- registry, stored exactly like real ones (same tables, same encryption, same blind
-- index), so that nothing in the insurer's rows tells them apart. No real patient can
-- present one: a rights check that finds one means someone is enumerating with data taken
-- from the platform itself. Which rows they are is known only here, in the platform scope.
-- Depends on 001 only (beneficiary), so it applies the same whether 011 exists yet or not.
SET ROLE rempart_owner;

CREATE TABLE honeytoken (
  insurer_id integer NOT NULL,
  beneficiary_id bigint NOT NULL,
  planted_at timestamptz NOT NULL,
  PRIMARY KEY (insurer_id, beneficiary_id),
  FOREIGN KEY (insurer_id, beneficiary_id) REFERENCES beneficiary
);

-- Read and plant, nothing else: a honeytoken is never edited nor removed by the
-- application (the default privileges of 001 granted UPDATE and DELETE: start from nothing).
REVOKE ALL ON honeytoken FROM rempart_app, PUBLIC;
GRANT SELECT, INSERT ON honeytoken TO rempart_app;

-- Platform scope only, forced even for the owner: an insurer-scoped transaction (every
-- disclosure, every agent's request, every file load) sees no row and can write none, so
-- no insurer-side query can single its honeytokens out.
ALTER TABLE honeytoken ENABLE ROW LEVEL SECURITY;
ALTER TABLE honeytoken FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON honeytoken
  USING (current_insurer() IS NULL)
  WITH CHECK (current_insurer() IS NULL);
