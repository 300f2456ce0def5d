import type { Database } from '../db/database.js';
import type { CounterAdd, CounterRead, TotalAdd } from './counters/index.js';
import { calculationAdd, DAY_WINDOW_MS, lookupAdds } from './counting.js';
import { networkOf } from './network.js';
import { initialState, type AccountState, type Entered, type Hold, type MemoryShieldStore, type ShieldStore, type Tier } from './store.js';

interface RecordRow {
  id: string;
  at_ms: string;
  insurer_id: number | null;
  beneficiary_id: string | null;
  site_id: string;
  client_id: string | null;
  ip: string;
  device: string | null;
  purpose: string;
  result: string;
}

/**
 * One instance without Redis (the embedded default): counters in memory, but nothing the
 * shield decided is lost to a restart. Account states are written to the database at each
 * change; the first time an instance meets an account, it reads its state back and replays
 * the account's last 23 hours of the access log into its counters (a distinct counter
 * takes the same member twice as once, so a replay never counts double).
 */
export class DbShieldStore implements ShieldStore {
  /** Per account, its meeting under way, or `true` once done: a request of an account met goes on without waiting on anything. */
  private readonly met = new Map<number, Promise<void> | true>();

  constructor(
    private readonly db: Database,
    private readonly memory: MemoryShieldStore,
    private readonly maxAccounts = 200_000,
  ) {}

  observe(adds: readonly CounterAdd[], reads: readonly CounterRead[], nowMs: number, totals?: readonly TotalAdd[], leaving?: Hold): Promise<number[]> {
    return this.memory.observe(adds, reads, nowMs, totals, leaving);
  }

  async state(account: number, nowMs = Date.now()): Promise<AccountState> {
    const meeting = this.meetingOf(account, nowMs);
    if (meeting) await meeting;
    return this.memory.state(account);
  }

  /**
   * Nothing once the account is met (its state read back, its day replayed): a request of
   * an account met waits on nothing. Otherwise its meeting, once per instance, shared by
   * the requests that come meanwhile.
   */
  private meetingOf(account: number, nowMs: number): Promise<void> | undefined {
    const known = this.met.get(account);
    if (known !== undefined) return known === true ? undefined : known;
    const meeting = this.meet(account, nowMs);
    if (this.met.size >= this.maxAccounts) this.met.clear();
    this.met.set(account, meeting);
    // A failed read is not remembered: the next request tries again.
    const settle = (done: boolean): void => {
      if (this.met.get(account) !== meeting) return;
      if (done) this.met.set(account, true);
      else this.met.delete(account);
    };
    void meeting.then(() => settle(true), () => settle(false));
    return meeting;
  }

  async saveState(account: number, state: AccountState): Promise<void> {
    await this.db.query(
      `INSERT INTO shield_account_state (professional_id, state, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (professional_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      [account, JSON.stringify(state)],
    );
    await this.memory.saveState(account, state);
  }

  noteElevated(account: number, nowMs: number, tier?: Tier): Promise<void> {
    return this.memory.noteElevated(account, nowMs, tier);
  }

  elevatedSince(sinceMs: number, nowMs: number, tier?: Tier): Promise<number[]> {
    return this.memory.elevatedSince(sinceMs, nowMs, tier);
  }

  sumHours(key: string, hours: number, nowMs: number): Promise<number> {
    return this.memory.sumHours(key, hours, nowMs);
  }

  /** The account met first (its state read back, its day replayed), then entered in memory. */
  async enter(hold: Hold, nowMs: number, reads?: readonly CounterRead[]): Promise<Entered> {
    const meeting = this.meetingOf(hold.account, nowMs);
    if (meeting) await meeting;
    return this.memory.enter(hold, nowMs, reads);
  }

  leave(hold: Hold): Promise<void> {
    return this.memory.leave(hold);
  }

  close(): Promise<void> {
    return this.memory.close();
  }

  /** The account's stored state, and its counters as the access log of the last 23 hours gives them. */
  private async meet(account: number, nowMs: number): Promise<void> {
    const stored = await this.db.query<{ state: Partial<AccountState> }>('SELECT state FROM shield_account_state WHERE professional_id = $1', [account]);
    const state = stored.rows[0]?.state;
    if (state) await this.memory.saveState(account, { ...initialState, ...state });
    const records = await this.db.query<RecordRow>(
      `SELECT id::text, (extract(epoch FROM at) * 1000)::bigint::text AS at_ms, insurer_id, beneficiary_id::text, site_id::text, client_id, ip, device, purpose, result
         FROM access_record
        WHERE professional_id = $1 AND at > $2 AND at <= $3 AND purpose IN ('rights_check', 'coverage')
        ORDER BY at`,
      [account, new Date(nowMs - DAY_WINDOW_MS), new Date(nowMs)],
    );
    for (const row of records.rows) await this.memory.observe(addsOf(account, row), [], Number(row.at_ms));
  }
}

/** What the request behind an access record added to the counters when it was served. */
function addsOf(account: number, row: RecordRow): CounterAdd[] {
  const beneficiary = row.beneficiary_id === null ? null : `${row.insurer_id ?? 0}:${row.beneficiary_id}`;
  if (row.purpose === 'coverage') return beneficiary === null ? [] : [calculationAdd(account, beneficiary)];
  const subject = { professionalId: account, siteId: Number(row.site_id), clientId: row.client_id, network: networkOf(row.ip), device: row.device };
  // A miss's query is not in the log: each recorded miss counts as a distinct one.
  const observation = { covered: row.result === 'covered', beneficiary, insurerId: row.insurer_id ?? 0, queryKey: `record:${row.id}` };
  return lookupAdds(subject, observation, Number(row.at_ms));
}
