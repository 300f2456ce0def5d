import type { Database } from '../../db/database.js';

/**
 * The planted beneficiaries, in memory, for a check on every disclosure without a round
 * trip. Read in the platform scope, the only one that sees the `honeytoken` table; a few
 * rows per insurer, so the whole set stays small.
 */
export class HoneytokenSet {
  private ids: ReadonlySet<string>;

  private constructor(ids: ReadonlySet<string>) {
    this.ids = ids;
  }

  static async load(db: Database): Promise<HoneytokenSet> {
    return new HoneytokenSet(await readIds(db));
  }

  get size(): number {
    return this.ids.size;
  }

  has(insurerId: number, beneficiaryId: number): boolean {
    return this.ids.has(key(insurerId, beneficiaryId));
  }

  /** Re-reads the table (after a plant); the set is replaced whole, never half-updated. */
  async refresh(db: Database): Promise<void> {
    this.ids = await readIds(db);
  }
}

async function readIds(db: Database): Promise<Set<string>> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ insurer_id: number; beneficiary_id: number }>('SELECT insurer_id, beneficiary_id FROM honeytoken'),
  );
  return new Set(found.rows.map((row) => key(Number(row.insurer_id), Number(row.beneficiary_id))));
}

function key(insurerId: number, beneficiaryId: number): string {
  return `${insurerId}:${beneficiaryId}`;
}
