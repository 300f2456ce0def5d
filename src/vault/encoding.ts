/**
 * Canonical byte encoding of a sequence of fields: each field is its 4-byte big-endian
 * length followed by its bytes (strings as UTF-8). A separator could be forged by a field
 * containing it; a length prefix cannot, so ('ab', 'c') and ('a', 'bc') never encode
 * alike and two different inputs never authenticate or hash alike.
 */
export function lengthPrefixed(parts: readonly (string | Uint8Array)[]): Buffer {
  let size = 0;
  for (const part of parts) size += 4 + (typeof part === 'string' ? Buffer.byteLength(part) : part.length);
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const part of parts) {
    const length = typeof part === 'string' ? out.write(part, offset + 4) : copyInto(out, part, offset + 4);
    out.writeUInt32BE(length, offset);
    offset += 4 + length;
  }
  return out;
}

function copyInto(out: Buffer, part: Uint8Array, offset: number): number {
  out.set(part, offset);
  return part.length;
}

/** bytea comes back as a Buffer from node-postgres and as a bare Uint8Array from PGlite. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
