-- Interior nodes of the access log's Merkle tree, every eighth level (subtrees of 256,
-- 65,536, 16,777,216… leaves), written by the sequencer as it appends (src/audit). An
-- inclusion or consistency proof then reads at most a few hundred hashes whatever the
-- size of the log (src/audit/proofs.ts), instead of every leaf. Nothing here is trusted:
-- a proof built from a wrong node fails against the signed root.
SET ROLE rempart_owner;

CREATE TABLE access_node (
  level smallint NOT NULL CHECK (level > 0 AND level % 8 = 0),
  node_index bigint NOT NULL CHECK (node_index >= 0),
  hash bytea NOT NULL CHECK (octet_length(hash) = 32),
  PRIMARY KEY (level, node_index)
);

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON access_node FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER no_rewrite BEFORE UPDATE OR DELETE OR TRUNCATE ON access_node FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

REVOKE ALL ON access_node FROM rempart_app, PUBLIC;
GRANT SELECT, INSERT ON access_node TO rempart_app;

-- Hashes only, like the leaves: anyone reads, the platform scope (the sequencer) appends.
ALTER TABLE access_node ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_node FORCE ROW LEVEL SECURITY;
CREATE POLICY readable ON access_node FOR SELECT USING (true);
CREATE POLICY platform_appends ON access_node FOR INSERT WITH CHECK (current_insurer() IS NULL);
