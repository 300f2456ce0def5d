/**
 * What a drop record of the access log's retention signs (Ed25519, the checkpoints' key,
 * src/audit/checkpoint-signer.ts): this ASCII text, eight lines each ended by "\n":
 *
 *   rempart access log retention drop v1
 *   <month, YYYY-MM, UTC>
 *   <records dropped, decimal, no leading zero>
 *   <first leaf_index of the month, decimal, or "-" when the month had none>
 *   <last leaf_index of the month, decimal, or "-">
 *   <leaves digest, 64 lowercase hexadecimal digits>
 *   <dropped_at, microseconds since 1970-01-01T00:00:00Z, decimal>
 *   <key_id>
 *
 * The leaves digest is SHA-256 over the 32-byte hashes of the leaves whose record_at falls
 * in the month, concatenated in leaf_index order: with the counts it names exactly which
 * leaves lost their record, so a verifier accepts those and no other. Its own first line
 * keeps a drop record from ever being taken for a checkpoint, or the reverse.
 */
export interface DropBody {
  /** YYYY-MM */
  month: string;
  records: number;
  firstLeaf: number | null;
  lastLeaf: number | null;
  leavesDigest: Uint8Array;
  droppedAtMicros: bigint;
  keyId: string;
}

const HEADER = 'rempart access log retention drop v1';

export function dropMessage(body: DropBody): Buffer {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(body.month)) throw new RangeError(`mois invalide : ${body.month}`);
  if (!Number.isSafeInteger(body.records) || body.records < 0) throw new RangeError(`nombre d'enregistrements invalide : ${body.records}`);
  if (body.leavesDigest.length !== 32) throw new RangeError('empreinte des feuilles de 32 octets attendue');
  if (!/^[0-9a-f]{32}$/.test(body.keyId)) throw new RangeError(`identifiant de clé invalide : ${body.keyId}`);
  const lines = [
    HEADER,
    body.month,
    String(body.records),
    leafIndex(body.firstLeaf),
    leafIndex(body.lastLeaf),
    Buffer.from(body.leavesDigest).toString('hex'),
    body.droppedAtMicros.toString(),
    body.keyId,
  ];
  return Buffer.from(`${lines.join('\n')}\n`, 'ascii');
}

function leafIndex(index: number | null): string {
  if (index === null) return '-';
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`index de feuille invalide : ${index}`);
  return String(index);
}
