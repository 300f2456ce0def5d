/**
 * A reader of PostgreSQL's binary COPY format (COPY … TO STDOUT WITH (FORMAT binary)):
 * the server's own bytes for each field, with no text to parse and no object per row.
 * The audit verifier reads millions of records this way (src/audit/verify.ts): a row
 * decoded into a JavaScript object costs more than hashing it.
 *
 * Layout (PostgreSQL documentation, "COPY", Binary Format): an 11-byte signature, a
 * 32-bit flags field, a 32-bit header-extension length and that many bytes; then per
 * tuple a 16-bit field count (-1 ends the data) and per field a 32-bit length (-1 for
 * NULL) followed by that many bytes. Everything is big-endian.
 */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Bit 16 of the flags: OIDs included (never, since PostgreSQL 12). Bits 0–15 are critical. */
const CRITICAL_FLAGS = 0xffff;
const TRAILER = -1;
/** |high half| below 2^21: the int64 is within ±2^53, exact as a number. */
const SAFE_HIGH = 2 ** 21;
/** PostgreSQL's timestamp epoch (2000-01-01 UTC) in Unix microseconds. */
const POSTGRES_EPOCH_MICROS = 946_684_800_000_000n;

export class CopyBinaryReader {
  private at: number;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;
  private done = false;

  /** `fields`: the number of columns every tuple must have. */
  constructor(
    readonly buffer: Buffer,
    readonly fields: number,
  ) {
    if (buffer.length < SIGNATURE.length + 8 || !buffer.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
      throw new RangeError('COPY binaire : signature absente');
    }
    const flags = buffer.readUInt32BE(SIGNATURE.length);
    if ((flags & CRITICAL_FLAGS) !== 0 || (flags & 0x10000) !== 0) throw new RangeError(`COPY binaire : drapeaux non pris en charge (${flags})`);
    const extension = buffer.readUInt32BE(SIGNATURE.length + 4);
    this.at = SIGNATURE.length + 8 + extension;
    this.starts = new Int32Array(fields);
    this.lengths = new Int32Array(fields);
  }

  /** Moves to the next tuple; false at the trailer. */
  next(): boolean {
    if (this.done) return false;
    const count = this.buffer.readInt16BE(this.at);
    this.at += 2;
    if (count === TRAILER) {
      this.done = true;
      if (this.at !== this.buffer.length) throw new RangeError('COPY binaire : octets après la fin');
      return false;
    }
    if (count !== this.fields) throw new RangeError(`COPY binaire : ${count} champs, ${this.fields} attendus`);
    for (let field = 0; field < count; field++) {
      const length = this.buffer.readInt32BE(this.at);
      this.at += 4;
      if (length < -1 || this.at + Math.max(length, 0) > this.buffer.length) throw new RangeError('COPY binaire : champ tronqué');
      this.starts[field] = this.at;
      this.lengths[field] = length;
      if (length > 0) this.at += length;
    }
    return true;
  }

  isNull(field: number): boolean {
    return this.length(field) === -1;
  }

  /** The field's byte length, -1 for NULL. */
  length(field: number): number {
    return this.lengths[field] as number;
  }

  start(field: number): number {
    return this.starts[field] as number;
  }

  /** The field's bytes (a view, valid as long as the buffer). */
  bytes(field: number): Buffer {
    const start = this.start(field);
    return this.buffer.subarray(start, start + Math.max(this.length(field), 0));
  }

  /** An int8 / bigint field as a number (exact below 2^53), null for NULL. */
  int64(field: number): number | null {
    if (this.isNull(field)) return null;
    this.expectLength(field, 8);
    // Two 32-bit halves: no BigInt per value on the verifier's path.
    const high = this.buffer.readInt32BE(this.start(field));
    const low = this.buffer.readUInt32BE(this.start(field) + 4);
    if (high >= SAFE_HIGH || high < -SAFE_HIGH) throw new RangeError(`COPY binaire : entier inexact (${high} × 2^32 + ${low})`);
    return high * 2 ** 32 + low;
  }

  /** A timestamptz field as microseconds since the Unix epoch (the wire counts from 2000). */
  unixMicros(field: number): bigint {
    this.expectLength(field, 8);
    return this.buffer.readBigInt64BE(this.start(field)) + POSTGRES_EPOCH_MICROS;
  }

  expectLength(field: number, length: number): void {
    if (this.length(field) !== length) throw new RangeError(`COPY binaire : champ ${field} de ${this.length(field)} octets, ${length} attendus`);
  }
}
