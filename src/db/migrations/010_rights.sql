-- Rights checks (IDB): engagements, and the ceiling counters a calculation reads.
SET ROLE rempart_owner;

-- A payment guarantee given by a rights check, bound to who asked (site, professional,
-- software), for whom (beneficiary), for which day and care domains, until it expires.
-- The number is random and names its insurer (AMC number), so a calculation can find it.
CREATE TABLE engagement (
  insurer_id integer NOT NULL REFERENCES insurer,
  number text NOT NULL CHECK (number ~ '^E[0-9]{8,10}-[A-Z2-7]{16}$'),
  beneficiary_id bigint NOT NULL,
  product_id bigint NOT NULL,
  site_id bigint NOT NULL REFERENCES site,
  professional_id bigint NOT NULL REFERENCES professional,
  client_id text,
  care_date date NOT NULL,
  care_domains text[] NOT NULL CHECK (cardinality(care_domains) > 0),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  cancelled_at timestamptz,
  PRIMARY KEY (insurer_id, number),
  FOREIGN KEY (insurer_id, beneficiary_id) REFERENCES beneficiary,
  FOREIGN KEY (insurer_id, product_id) REFERENCES product
);

-- What a beneficiary has used of a guarantee's annual ceiling; consumed when an invoice
-- is accepted (a later issue), read by calculations.
CREATE TABLE ceiling_counter (
  insurer_id integer NOT NULL REFERENCES insurer,
  beneficiary_id bigint NOT NULL,
  care_domain text NOT NULL,
  year smallint NOT NULL,
  consumed_cents bigint NOT NULL DEFAULT 0 CHECK (consumed_cents >= 0),
  PRIMARY KEY (insurer_id, beneficiary_id, care_domain, year),
  FOREIGN KEY (insurer_id, beneficiary_id) REFERENCES beneficiary
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['engagement', 'ceiling_counter'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (insurer_id = current_insurer())'
                   ' WITH CHECK (insurer_id = current_insurer())', t);
  END LOOP;
END $$;

-- Engagements are cancelled, never deleted.
REVOKE DELETE, TRUNCATE ON engagement FROM rempart_app;
