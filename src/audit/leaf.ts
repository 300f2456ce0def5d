/**
 * The bytes of one access record as a Merkle leaf: canonical (one record, one byte
 * string), versioned, and unambiguous (fixed order, fixed widths, explicit presence and
 * lengths, so that two different records never encode alike and the bytes decode back).
 *
 * Format version 1, everything big-endian, fields in this order:
 *
 *   u8      0x01                 format version
 *   i64     id                   access_record.id
 *   i64     at                   microseconds since 1970-01-01T00:00:00Z (PostgreSQL's precision)
 *   u64     xid                  access_record.xid (xid8: epoch << 32 | xid)
 *   opt64   insurer_id
 *   opt64   beneficiary_id
 *   opt64   professional_id
 *   opt64   site_id
 *   optstr  client_id
 *   optstr  session_ref
 *   optstr  ip                   the text stored, as is
 *   optstr  device
 *   optstr  purpose
 *   list    disclosed            in stored order (appendAccessRecord sorts it)
 *   optstr  result
 *   opt64   staff_id             formats 2 and 3: the member of staff a record was disclosed to
 *   bytes50 seal                 format 3 only: the application's seal (src/audit/access-seal.ts)
 *
 * Format 2 is format 1 followed by staff_id; a record without staff member is written in
 * format 1, so that leaves written before staff records existed keep their bytes. Format 3,
 * a sealed record (migration 022), is format 1 followed by staff_id (present or not) and
 * the 50 bytes of its seal: the seal is under the signed roots, so that a seal changed
 * after sequencing shows as a modified record, and leaves written before seals keep theirs.
 *
 *   opt64  = u8 0x00 (NULL) | u8 0x01, i64 value
 *   optstr = u8 0x00 (NULL) | u8 0x01, u32 byte length, UTF-8 bytes (no normalisation)
 *   list   = u32 count, then per element: u32 byte length, UTF-8 bytes
 *
 * Every scalar carries a presence byte, even where the column is NOT NULL today, so that
 * relaxing a constraint later does not change the format. The leaf hash is
 * SHA-256(0x00 || these bytes) (RFC 6962, src/audit/merkle.ts). A change of any kind to
 * this layout makes a new version byte; old leaves keep theirs.
 */
export const LEAF_FORMAT_VERSION = 1;
/** The format of a record disclosed to a member of staff (016). */
export const STAFF_LEAF_FORMAT_VERSION = 2;
/** The format of a sealed record (022). */
export const SEALED_LEAF_FORMAT_VERSION = 3;
/** A seal's length: version, scope, nonce, HMAC-SHA256 tag (src/audit/access-seal.ts). */
export const SEAL_BYTES = 50;

/** A record as the database holds it, including what the database chose (id, at, xid). */
export interface StoredAccessRecord {
  id: number;
  /** Microseconds since the Unix epoch, UTC. */
  atMicros: bigint;
  xid: bigint;
  insurerId: number | null;
  beneficiaryId: number | null;
  professionalId: number | null;
  siteId: number | null;
  clientId: string | null;
  sessionRef: string | null;
  ip: string | null;
  device: string | null;
  purpose: string | null;
  disclosed: readonly string[];
  result: string | null;
  /** The member of staff, for a record disclosed to one (format 2); absent or null otherwise. */
  staffId?: number | null;
  /** The application's seal (format 3); absent or null for a record written before seals. */
  seal?: Uint8Array | null;
}

export function encodeLeaf(record: StoredAccessRecord): Buffer {
  const out = new Writer();
  const staffId = record.staffId ?? null;
  const seal = record.seal ?? null;
  if (seal !== null && seal.length !== SEAL_BYTES) throw new RangeError(`sceau de ${seal.length} octets au lieu de ${SEAL_BYTES}`);
  out.u8(seal !== null ? SEALED_LEAF_FORMAT_VERSION : staffId === null ? LEAF_FORMAT_VERSION : STAFF_LEAF_FORMAT_VERSION);
  out.i64(BigInt(safeInteger(record.id, 'id')));
  out.i64(record.atMicros);
  out.u64(record.xid);
  for (const [name, value] of [
    ['insurer_id', record.insurerId],
    ['beneficiary_id', record.beneficiaryId],
    ['professional_id', record.professionalId],
    ['site_id', record.siteId],
  ] as const) {
    out.optional(value, (present) => out.i64(BigInt(safeInteger(present, name))));
  }
  for (const value of [record.clientId, record.sessionRef, record.ip, record.device, record.purpose]) {
    out.optional(value, (present) => out.text(present));
  }
  out.u32(record.disclosed.length);
  for (const item of record.disclosed) out.text(item);
  out.optional(record.result, (present) => out.text(present));
  if (staffId !== null || seal !== null) out.optional(staffId, (present) => out.i64(BigInt(safeInteger(present, 'staff_id'))));
  if (seal !== null) out.raw(seal);
  return out.bytes();
}

/** The inverse of `encodeLeaf`: an auditor's check that the encoding is unambiguous. */
export function decodeLeaf(bytes: Uint8Array): StoredAccessRecord {
  const input = new Reader(Buffer.from(bytes));
  const version = input.u8();
  if (version !== LEAF_FORMAT_VERSION && version !== STAFF_LEAF_FORMAT_VERSION && version !== SEALED_LEAF_FORMAT_VERSION) throw new RangeError(`version de feuille inconnue : ${version}`);
  const id = Number(input.i64());
  const atMicros = input.i64();
  const xid = input.u64();
  const int = (): number | null => input.optional(() => Number(input.i64()));
  const str = (): string | null => input.optional(() => input.text());
  const record: StoredAccessRecord = {
    id,
    atMicros,
    xid,
    insurerId: int(),
    beneficiaryId: int(),
    professionalId: int(),
    siteId: int(),
    clientId: str(),
    sessionRef: str(),
    ip: str(),
    device: str(),
    purpose: str(),
    disclosed: Array.from({ length: input.u32() }, () => input.text()),
    result: str(),
    staffId: version === LEAF_FORMAT_VERSION ? null : int(),
  };
  if (version === SEALED_LEAF_FORMAT_VERSION) record.seal = input.raw(SEAL_BYTES);
  if (version === STAFF_LEAF_FORMAT_VERSION && record.staffId === null) throw new RangeError('feuille de format 2 sans membre du personnel');
  input.end();
  return record;
}

function safeInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} n'est pas un entier exact : ${value}`);
  return value;
}

/** The encoder's byte writer, shared with the seal's message (src/audit/access-seal.ts). */
export class Writer {
  private readonly parts: Buffer[] = [];

  u8(value: number): void {
    this.parts.push(Buffer.from([value]));
  }

  raw(value: Uint8Array): void {
    this.parts.push(Buffer.from(value));
  }

  u32(value: number): void {
    const part = Buffer.alloc(4);
    part.writeUInt32BE(value);
    this.parts.push(part);
  }

  i64(value: bigint): void {
    const part = Buffer.alloc(8);
    part.writeBigInt64BE(value);
    this.parts.push(part);
  }

  u64(value: bigint): void {
    const part = Buffer.alloc(8);
    part.writeBigUInt64BE(value);
    this.parts.push(part);
  }

  text(value: string): void {
    const utf8 = Buffer.from(value, 'utf8');
    this.u32(utf8.length);
    this.parts.push(utf8);
  }

  optional<T>(value: T | null, write: (present: T) => void): void {
    if (value === null) return this.u8(0);
    this.u8(1);
    write(value);
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private at = 0;

  constructor(private readonly buffer: Buffer) {}

  private take(length: number): Buffer {
    if (this.at + length > this.buffer.length) throw new RangeError('feuille tronquée');
    const part = this.buffer.subarray(this.at, this.at + length);
    this.at += length;
    return part;
  }

  u8(): number {
    return this.take(1).readUInt8();
  }

  u32(): number {
    return this.take(4).readUInt32BE();
  }

  raw(length: number): Buffer {
    return Buffer.from(this.take(length));
  }

  i64(): bigint {
    return this.take(8).readBigInt64BE();
  }

  u64(): bigint {
    return this.take(8).readBigUInt64BE();
  }

  text(): string {
    const utf8 = this.take(this.u32());
    const value = utf8.toString('utf8');
    // A string that does not round-trip was not written by encodeLeaf.
    if (!Buffer.from(value, 'utf8').equals(utf8)) throw new RangeError('UTF-8 invalide dans la feuille');
    return value;
  }

  optional<T>(read: () => T): T | null {
    const tag = this.u8();
    if (tag === 0) return null;
    if (tag !== 1) throw new RangeError(`marqueur de présence invalide : ${tag}`);
    return read();
  }

  end(): void {
    if (this.at !== this.buffer.length) throw new RangeError('octets en trop après la feuille');
  }
}

/**
 * The columns every reader of the log selects, for a record aliased `r`; `toStoredRecord`
 * turns such a row into the encoder's input. `at` comes as exact microseconds (EXTRACT
 * gives a numeric since PostgreSQL 14), `xid` as text (it exceeds 2^53 in time).
 */
export const RECORD_COLUMNS = `r.id, (extract(epoch FROM r.at) * 1000000)::bigint::text AS at_us, r.xid::text AS xid,
  r.insurer_id, r.beneficiary_id, r.professional_id, r.site_id, r.client_id, r.session_ref, r.ip, r.device,
  r.purpose, r.disclosed, r.result, r.staff_id, r.seal`;

export interface RecordRow {
  id: number;
  at_us: string;
  xid: string;
  insurer_id: number | null;
  beneficiary_id: number | null;
  professional_id: number | null;
  site_id: number | null;
  client_id: string | null;
  session_ref: string | null;
  ip: string | null;
  device: string | null;
  purpose: string | null;
  disclosed: string[];
  result: string | null;
  staff_id: number | null;
  seal: Uint8Array | null;
}

export function toStoredRecord(row: RecordRow): StoredAccessRecord {
  return {
    id: row.id,
    atMicros: BigInt(row.at_us),
    xid: BigInt(row.xid),
    insurerId: row.insurer_id,
    beneficiaryId: row.beneficiary_id,
    professionalId: row.professional_id,
    siteId: row.site_id,
    clientId: row.client_id,
    sessionRef: row.session_ref,
    ip: row.ip,
    device: row.device,
    purpose: row.purpose,
    disclosed: row.disclosed,
    result: row.result,
    staffId: row.staff_id,
    seal: row.seal === null ? null : Buffer.from(row.seal),
  };
}

/** An instant in microseconds as the exact ISO-8601 text PostgreSQL reads back unchanged. */
export function microsToIso(micros: bigint): string {
  const second = micros >= 0n ? micros / 1_000_000n : -((-micros + 999_999n) / 1_000_000n);
  const fraction = micros - second * 1_000_000n;
  const whole = new Date(Number(second) * 1000).toISOString().slice(0, 19);
  return `${whole}.${fraction.toString().padStart(6, '0')}Z`;
}
