import { createHash, type Hash } from 'node:crypto';
import type { TrustedKeys } from './checkpoint-signer.js';
import type { DropBody } from './retention-message.js';
import { dropBody, type DropRow } from './retention-row.js';

/** Where the walk is, for a problem's report. */
export interface WalkPoint {
  leafIndex: number;
  recordId?: number;
}

export type DropProblemCode = 'AUDIT_DROP_SIGNATURE_INVALID' | 'AUDIT_DROP_MISMATCH';

/** What is wrong with a dropped month, and where: the verifier reports it as the walk's problem. */
export type DropFailure = { readonly ok: false; readonly code: DropProblemCode; readonly detail: string; readonly at: WalkPoint };
/** A drop check's outcome: passed, or failed. */
export type DropCheck = { readonly ok: true } | DropFailure;
/** A leaf's outcome: passed, its month dropped by policy or not; or failed. */
export type DropLeaf = { readonly ok: true; readonly dropped: boolean } | DropFailure;

// One object for every passed check: the walk checks each leaf.
const PASSED: DropCheck = Object.freeze({ ok: true });
const KEPT: DropLeaf = Object.freeze({ ok: true, dropped: false });
const DROPPED: DropLeaf = Object.freeze({ ok: true, dropped: true });

function wrong(code: DropProblemCode, detail: string, at: WalkPoint): DropFailure {
  return { ok: false, code, detail, at };
}

interface Month {
  body: DropBody;
  signature: Uint8Array;
  signed: boolean;
  closed: boolean;
  leaves: number;
  first: number | null;
  last: number | null;
  digest: Hash;
}

/**
 * The months dropped by retention, as the verifier meets their leaves in leaf order. A
 * leaf whose record is gone is accepted only in a month whose drop record is signed by a
 * trusted key; and the leaves seen in that month must be, exactly, the ones the record
 * signed (count, first and last index, digest of their hashes), checked once the walk
 * passes the month's last leaf. So neither deleting another month's records nor moving a
 * leaf into a dropped month, nor a drop record forged or edited without the key, passes.
 */
export class DroppedMonths {
  private readonly byMonth = new Map<string, Month>();

  constructor(
    rows: readonly DropRow[],
    private readonly keys: TrustedKeys,
  ) {
    for (const row of rows) {
      const body = dropBody(row);
      this.byMonth.set(body.month, { body, signature: row.signature, signed: false, closed: false, leaves: 0, first: null, last: null, digest: createHash('sha256') });
    }
  }

  get months(): number {
    return this.byMonth.size;
  }

  get records(): number {
    let total = 0;
    for (const month of this.byMonth.values()) total += month.body.records;
    return total;
  }

  /** Every leaf, in order; `dropped` when its month was dropped by policy (a missing record is then expected). */
  leaf(index: number, month: string, hash: Uint8Array, at: WalkPoint): DropLeaf {
    const dropped = this.byMonth.get(month);
    if (dropped === undefined) return KEPT;
    const signed = this.checkSignature(dropped, at);
    if (!signed.ok) return signed;
    if (dropped.closed) return wrong('AUDIT_DROP_MISMATCH', `la feuille ${index} est du mois ${month}, purgé jusqu’à la feuille ${dropped.body.lastLeaf ?? '-'}`, at);
    dropped.leaves += 1;
    dropped.first ??= index;
    dropped.last = index;
    dropped.digest.update(hash);
    if (index !== dropped.body.lastLeaf) return DROPPED;
    const closed = this.close(dropped, at);
    return closed.ok ? DROPPED : closed;
  }

  /**
   * After the walk of `treeSize` leaves: the months not closed yet. One whose last leaf is
   * beyond the tree checked (a tree size chosen by the caller) is left for a wider check.
   */
  finish(treeSize: number, at: WalkPoint): DropCheck {
    for (const month of this.byMonth.values()) {
      const signed = this.checkSignature(month, at);
      if (!signed.ok) return signed;
      if (!month.closed && (month.body.lastLeaf ?? -1) < treeSize) {
        const closed = this.close(month, at);
        if (!closed.ok) return closed;
      }
    }
    return PASSED;
  }

  private checkSignature(month: Month, at: WalkPoint): DropCheck {
    if (month.signed) return PASSED;
    const check = this.keys.checkDrop(month.body, month.signature);
    if (check === 'unknown-key') {
      return wrong('AUDIT_DROP_SIGNATURE_INVALID', `trace de purge du mois ${month.body.month} signée par la clé ${month.body.keyId}, qui n’est pas de confiance`, at);
    }
    if (check === 'invalid') return wrong('AUDIT_DROP_SIGNATURE_INVALID', `la signature de la trace de purge du mois ${month.body.month} est fausse`, at);
    month.signed = true;
    return PASSED;
  }

  private close(month: Month, at: WalkPoint): DropCheck {
    month.closed = true;
    const { body } = month;
    const digest = month.digest.digest();
    if (month.leaves !== body.records || month.first !== body.firstLeaf || month.last !== body.lastLeaf || !digest.equals(body.leavesDigest)) {
      return wrong(
        'AUDIT_DROP_MISMATCH',
        `mois ${body.month} : ${month.leaves} feuille(s) de ${month.first ?? '-'} à ${month.last ?? '-'}, ` +
          `la trace de purge en signe ${body.records} de ${body.firstLeaf ?? '-'} à ${body.lastLeaf ?? '-'}` +
          (digest.equals(body.leavesDigest) ? '' : ', et d’autres hachages'),
        at,
      );
    }
    return PASSED;
  }
}
