import type { Database } from '../db/database.js';

const TTL_MS = 60_000;

/**
 * Insurers by AMC number, kept a minute: every rights check needs it, and the list of
 * insurers changes with a contract, not with a request. Unknown numbers are not cached,
 * so a newly loaded insurer is found at once.
 */
export class InsurerDirectory {
  private readonly known = new Map<string, { id: number; until: number }>();

  constructor(private readonly db: Database) {}

  async idOf(amcNumber: string, now = Date.now()): Promise<number | undefined> {
    const cached = this.known.get(amcNumber);
    if (cached && cached.until > now) return cached.id;
    const found = await this.db.query<{ id: number }>('SELECT id FROM insurer WHERE amc_number = $1', [amcNumber]);
    const id = found.rows[0]?.id;
    if (id !== undefined) this.known.set(amcNumber, { id: Number(id), until: now + TTL_MS });
    return id === undefined ? undefined : Number(id);
  }
}
