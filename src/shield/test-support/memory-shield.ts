import { learnBaseline, type DaySummary } from '../baseline.js';
import { defaultThresholds, type ShieldThresholds } from '../config.js';
import { MemoryDistinctCounter } from '../counters/index.js';
import type { Alert, Decision, ShieldSink } from '../decisions.js';
import { Shield, type ActivitySource, type BaselineSource } from '../engine.js';
import type { Profile } from '../profile.js';
import { MemoryShieldStore, type ShieldStore } from '../store.js';

/** A sink that remembers: decisions, suspended accounts, alerts. */
export class MemorySink implements ShieldSink {
  readonly decisions: Decision[] = [];
  readonly suspended = new Set<number>();
  readonly suspendedClients = new Set<string>();
  readonly alerts: Alert[] = [];

  decision(decision: Decision): Promise<void> {
    this.decisions.push(decision);
    return Promise.resolve();
  }

  suspend(decision: Decision, summary: string): Promise<void> {
    this.decisions.push(decision);
    this.suspended.add(decision.professionalId);
    this.alerts.push({ at: decision.at, kind: 'account', professionalId: decision.professionalId, summary, accounts: [decision.professionalId], details: {} });
    return Promise.resolve();
  }

  alert(alert: Alert): Promise<void> {
    this.alerts.push(alert);
    return Promise.resolve();
  }

  suspendClient(decision: Decision, summary: string): Promise<void> {
    this.decisions.push(decision);
    if (decision.clientId !== null) this.suspendedClients.add(decision.clientId);
    this.alerts.push({ at: decision.at, kind: 'account', professionalId: decision.professionalId, summary, accounts: [decision.professionalId], details: { client: decision.clientId } });
    return Promise.resolve();
  }
}

/** Histories written by whoever simulates the days; baselines learned from them with the server's function. */
export class MemoryHistory implements BaselineSource, ActivitySource {
  readonly days = new Map<number, DaySummary[]>();
  readonly lastSeen = new Map<number, string>();

  record(professionalId: number, summary: DaySummary): void {
    const days = this.days.get(professionalId) ?? [];
    days.push(summary);
    if (days.length > 28) days.shift();
    this.days.set(professionalId, days);
  }

  baselineOf(professionalId: number, profile: Profile): Promise<ReturnType<typeof learnBaseline>> {
    return Promise.resolve(learnBaseline(this.days.get(professionalId) ?? [], profile));
  }

  touch(professionalId: number, day: string): Promise<string | null> {
    const previous = this.lastSeen.get(professionalId) ?? null;
    this.lastSeen.set(professionalId, day);
    return Promise.resolve(previous);
  }
}

/** A shield entirely in memory (or with the store given, e.g. Redis): what the engine's own tests drive. */
export function memoryShield(
  thresholds: ShieldThresholds = defaultThresholds,
  enabled = true,
  store: ShieldStore = new MemoryShieldStore(new MemoryDistinctCounter({ maxKeys: 100_000 })),
): { shield: Shield; sink: MemorySink; history: MemoryHistory } {
  const sink = new MemorySink();
  const history = new MemoryHistory();
  return { shield: new Shield({ config: { enabled, thresholds }, store, baselines: history, activity: history, sink }), sink, history };
}
