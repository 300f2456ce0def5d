-- Where each account stands on the shield's ladder (level, pending refusals, the day's
-- step-ups, raised and tightened budgets). On the embedded default the shield keeps it
-- here, written at each change, so a restart lifts no step-up and forgets no step-up of the
-- day (THREATS.md point 16); with Redis configured, Redis keeps it for every instance.
CREATE TABLE shield_account_state (
  professional_id bigint PRIMARY KEY REFERENCES professional,
  state jsonb NOT NULL CHECK (jsonb_typeof(state) = 'object'),
  updated_at timestamptz NOT NULL
);

-- Grants: the default privileges of 001 gave SELECT, INSERT, UPDATE, DELETE; start from nothing.
REVOKE ALL ON shield_account_state FROM rempart_app, PUBLIC;
GRANT SELECT, INSERT, UPDATE (state, updated_at) ON shield_account_state TO rempart_app;

ALTER TABLE shield_account_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE shield_account_state FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON shield_account_state USING (current_insurer() IS NULL) WITH CHECK (current_insurer() IS NULL);

-- A software key beyond its pace, over every professional it names, is suspended as such.
ALTER TABLE shield_decision DROP CONSTRAINT shield_decision_cause_check;
ALTER TABLE shield_decision ADD CONSTRAINT shield_decision_cause_check
  CHECK (cause IN ('signals', 'honeytoken', 'refused_step_up', 'session_moved', 'dormant', 'platform_alert', 'repeated_step_up', 'client_budget'));
