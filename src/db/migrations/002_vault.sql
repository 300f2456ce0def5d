-- Master-key rotation rewraps data keys in place (src/vault/rotate.ts). The application
-- may change a key's envelope (wrapped, master_key_id) and nothing else: insurer,
-- purpose, version and creation date stay immutable, deletion stays impossible. The
-- envelope is authenticated with (insurer, purpose, version), so a role that can write
-- it can spoil an envelope, never slip in a key of its own choosing.
SET ROLE rempart_owner;

GRANT UPDATE (wrapped, master_key_id) ON data_key TO rempart_app;
