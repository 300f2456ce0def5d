import type { Tx } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';

/*
 * A contract has one product. Lines of one file that name a member number with two
 * products cannot both be right, and "the last line wins" would silently pick one: every
 * line of that contract is refused instead (CONTRACT_PRODUCT_CONFLICT), and the contract
 * stays as it was. A file is read in batches, so a contract's first lines may already be
 * merged when a later batch contradicts them: the file is then read a second time, in a
 * new transaction, knowing those contracts from the start (readAgainFor).
 */

/**
 * Judges the batch's contract lines against each other and against the file's earlier
 * batches (`stage_contract_seen`: each contract's first product, or its conflict), marks
 * the lines of a conflicted contract as skipped, and says for each whether earlier
 * batches already merged lines of that contract (`reaches_back`).
 */
export const markContractConflicts = `
  WITH batch AS (
    SELECT member_number, min(product_id) AS product_id, min(product_id) <> max(product_id) AS split
      FROM stage_beneficiary WHERE op IN ('A', 'M') AND NOT skip GROUP BY member_number),
  judged AS (
    SELECT b.member_number, b.product_id,
           b.split OR coalesce(k.conflicted OR k.product_id <> b.product_id, false) AS conflicted,
           coalesce(NOT k.conflicted AND (b.split OR k.product_id <> b.product_id), false) AS reaches_back
      FROM batch b LEFT JOIN stage_contract_seen k USING (member_number)),
  noted AS (
    INSERT INTO stage_contract_seen (member_number, product_id, conflicted)
    SELECT member_number, product_id, conflicted FROM judged
    ON CONFLICT (member_number) DO UPDATE SET conflicted = true WHERE excluded.conflicted)
  UPDATE stage_beneficiary s SET skip = true
    FROM judged j WHERE j.conflicted AND s.member_number = j.member_number AND s.op IN ('A', 'M') AND NOT s.skip
  RETURNING s.line, s.member_number, j.reaches_back`;

/** Contracts known to be conflicted before the file is read (its second reading). */
export async function presetConflicts(tx: Tx, memberNumbers: readonly string[]): Promise<void> {
  if (memberNumbers.length === 0) return;
  await tx.query('INSERT INTO stage_contract_seen (member_number, product_id, conflicted) SELECT unnest($1::text[]), NULL, true', [memberNumbers]);
}

/** Past this many, a file is refused whole rather than kept in memory for a second reading. */
const MAX_READ_AGAIN = 100_000;

/** The contracts a first reading found conflicted after some of their lines were merged. */
export class LateConflicts {
  private readonly members = new Set<string>();

  note(memberNumbers: Iterable<string>): void {
    for (const member of memberNumbers) this.members.add(member);
    if (this.members.size > MAX_READ_AGAIN) {
      throw new RempartError('CONTRACT_PRODUCT_CONFLICT', `plus de ${MAX_READ_AGAIN} contrats nommés avec deux produits : le fichier est refusé en entier`);
    }
  }

  get found(): boolean {
    return this.members.size > 0;
  }

  list(): string[] {
    return [...this.members];
  }
}

/** Thrown out of a first reading to roll it back: the file is read again, knowing these contracts. */
export class ReadAgain extends Error {
  constructor(readonly memberNumbers: readonly string[]) {
    super('contrats à deux produits découverts après fusion : seconde lecture du fichier');
  }
}
