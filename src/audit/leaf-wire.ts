import type { CopyBinaryReader } from '../db/copy-binary.js';
import { LEAF_FORMAT_VERSION, SEAL_BYTES, SEALED_LEAF_FORMAT_VERSION, STAFF_LEAF_FORMAT_VERSION } from './leaf.js';

/**
 * A record's leaf bytes (src/audit/leaf.ts) written straight from the server's binary
 * field bytes, read with WIRE_RECORD_COLUMNS through binary COPY: no row object, no
 * string decoded and encoded again. The verifier checks millions of records this way;
 * encodeLeaf stays the format's reference, and leaf-wire.test.ts checks that both give
 * the same bytes for arbitrary records.
 *
 * The wire forms used: int8 and xid8 are 8 bytes big-endian, as the leaf's i64/u64;
 * timestamptz is microseconds since 2000-01-01 UTC, shifted to the leaf's Unix epoch;
 * text is its UTF-8 bytes; text[] is the array header (dimensions, null flag, element
 * type, then length and lower bound per dimension) followed by each element's length
 * and bytes.
 */
export const WIRE_RECORD_COLUMNS = `r.id, r.at, r.xid, r.insurer_id::bigint, r.beneficiary_id::bigint, r.professional_id::bigint,
  r.site_id::bigint, r.client_id, r.session_ref, r.ip, r.device, r.purpose, r.disclosed, r.result, r.staff_id::bigint, r.seal`;
export const WIRE_RECORD_FIELDS = 16;

const ID = 0;
const AT = 1;
const XID = 2;
const INTEGERS = [3, 4, 5, 6];
const TEXTS = [7, 8, 9, 10, 11];
const DISCLOSED = 12;
const RESULT = 13;
const STAFF = 14;
const SEAL = 15;
const VARIABLE = [...TEXTS, DISCLOSED, RESULT];
const SHORT_FIELD = 48;
/** Version, id, at, xid, then at most 1 + 8 bytes per optional integer (staff included), and the seal. */
const FIXED_BYTES = 1 + 24 + 5 * 9 + SEAL_BYTES;

export class WireLeafWriter {
  private out = Buffer.alloc(1024);
  private at = 0;

  /**
   * The leaf bytes of the record whose columns start at `first` in the current tuple: a
   * view, valid until the next call. Null when the row cannot be any record's leaf (a
   * required column NULL, an array of more than one dimension or with a NULL element):
   * the verifier then reports the record as modified.
   */
  encode(row: CopyBinaryReader, first: number): Buffer | null {
    if (row.isNull(first + ID) || row.isNull(first + AT) || row.isNull(first + XID)) return null;
    if (!row.isNull(first + SEAL) && row.length(first + SEAL) !== SEAL_BYTES) return null;
    this.reserve(row, first);
    const staff = !row.isNull(first + STAFF);
    const sealed = !row.isNull(first + SEAL);
    this.byte(sealed ? SEALED_LEAF_FORMAT_VERSION : staff ? STAFF_LEAF_FORMAT_VERSION : LEAF_FORMAT_VERSION);
    this.copy(row, first + ID, 8);
    this.at = this.out.writeBigInt64BE(row.unixMicros(first + AT), this.at);
    this.copy(row, first + XID, 8);
    for (const field of INTEGERS) this.optionalInteger(row, first + field);
    for (const field of TEXTS) this.optionalText(row, first + field);
    if (!this.list(row, first + DISCLOSED)) return null;
    this.optionalText(row, first + RESULT);
    if (staff || sealed) this.optionalInteger(row, first + STAFF);
    if (sealed) this.copy(row, first + SEAL, SEAL_BYTES);
    return this.out.subarray(0, this.at);
  }

  /** Room for the whole leaf: every field's bytes plus their length and presence prefixes. */
  private reserve(row: CopyBinaryReader, first: number): void {
    let needed = FIXED_BYTES;
    for (const field of VARIABLE) needed += 5 + Math.max(row.length(first + field), 0);
    if (needed > this.out.length) this.out = Buffer.alloc(needed * 2);
    this.at = 0;
  }

  private byte(value: number): void {
    this.at = this.out.writeUInt8(value, this.at);
  }

  private copy(row: CopyBinaryReader, field: number, length: number): void {
    row.expectLength(field, length);
    const from = row.start(field);
    // Most fields are a few bytes: a loop beats Buffer#copy's call into C++.
    if (length > SHORT_FIELD) {
      this.at += row.buffer.copy(this.out, this.at, from, from + length);
      return;
    }
    for (let i = 0; i < length; i++) this.out[this.at + i] = row.buffer[from + i] as number;
    this.at += length;
  }

  private optionalInteger(row: CopyBinaryReader, field: number): void {
    if (row.isNull(field)) return this.byte(0);
    this.byte(1);
    this.copy(row, field, 8);
  }

  private optionalText(row: CopyBinaryReader, field: number): void {
    if (row.isNull(field)) return this.byte(0);
    this.byte(1);
    this.at = this.out.writeUInt32BE(row.length(field), this.at);
    this.copy(row, field, row.length(field));
  }

  /** A one-dimensional text[] without NULL as the leaf's list; false for anything else. */
  private list(row: CopyBinaryReader, field: number): boolean {
    if (row.isNull(field)) return false;
    const bytes = row.bytes(field);
    const dimensions = bytes.readInt32BE(0);
    if (dimensions === 0) {
      this.at = this.out.writeUInt32BE(0, this.at);
      return true;
    }
    if (dimensions !== 1 || bytes.readInt32BE(4) !== 0) return false;
    const count = bytes.readInt32BE(12);
    this.at = this.out.writeUInt32BE(count, this.at);
    // Elements: length and bytes, as the leaf's list; the header is 20 bytes for one dimension.
    const elements = bytes.subarray(20);
    let end = 0;
    for (let seen = 0; seen < count; seen++) {
      const length = elements.readInt32BE(end);
      if (length < 0) return false;
      end += 4 + length;
    }
    if (end !== elements.length) return false;
    this.at += elements.copy(this.out, this.at);
    return true;
  }
}
