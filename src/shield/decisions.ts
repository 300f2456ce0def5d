import type { Finding, Signals } from './rules.js';

/** What the shield did to an account, and the signals behind it (recorded, shown on the account's timeline). */
export type Action = 'slow' | 'step_up' | 'cleared' | 'suspend' | 'tighten';

/** Why: a signal beyond its threshold, or an event that is a reason on its own. */
export type Cause = 'signals' | 'honeytoken' | 'refused_step_up' | 'session_moved' | 'dormant' | 'platform_alert' | 'repeated_step_up' | 'client_budget';

export interface Decision {
  at: Date;
  professionalId: number;
  siteId: number;
  clientId: string | null;
  action: Action;
  cause: Cause;
  findings: Finding[];
  signals: Signals | null;
}

export type AlertKind = 'account' | 'platform';

export interface Alert {
  at: Date;
  kind: AlertKind;
  /** The account, for an account alert. */
  professionalId: number | null;
  /** French, for the security console. */
  summary: string;
  /** The accounts involved (a platform alert names every account it tightened). */
  accounts: number[];
  details: Record<string, unknown>;
}

/**
 * Where the shield's decisions go: the database on a server (decision, alert and
 * suspension rows, the suspension cutting sessions and tokens at once), memory in the simulator.
 */
export interface ShieldSink {
  decision(decision: Decision): Promise<void>;
  /** Suspends the account (decision included) and raises an account alert. */
  suspend(decision: Decision, summary: string): Promise<void>;
  alert(alert: Alert): Promise<void>;
  /** Suspends the decision's software client, for every professional using it (decision included), and raises an account alert. */
  suspendClient(decision: Decision, summary: string): Promise<void>;
}
