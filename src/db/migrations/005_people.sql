-- People's logins: OpenID Connect (Pro Santé Connect-style) attempts and sessions.
SET ROLE rempart_owner;

-- An authorization request in flight: state, nonce and PKCE verifier, used once.
CREATE TABLE login_attempt (
  state text PRIMARY KEY,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A person's session. Only a hash of the cookie's value is kept: a database dump gives
-- no usable session. Short-lived, revocable at once.
CREATE TABLE person_session (
  id_hash bytea PRIMARY KEY,
  professional_id bigint NOT NULL REFERENCES professional,
  method text NOT NULL,
  acr text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX person_session_professional ON person_session (professional_id);
