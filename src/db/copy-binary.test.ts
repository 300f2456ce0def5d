import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyBinaryReader } from './copy-binary.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

/** Signature, flags, extension length; then tuples; then the trailer. */
const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const trailer = Buffer.from([0xff, 0xff]);
const tuple = (...fields: (Buffer | null)[]): Buffer => {
  const count = Buffer.alloc(2);
  count.writeInt16BE(fields.length);
  const parts = fields.map((field) => {
    const length = Buffer.alloc(4);
    length.writeInt32BE(field === null ? -1 : field.length);
    return field === null ? length : Buffer.concat([length, field]);
  });
  return Buffer.concat([count, ...parts]);
};
const int8 = (value: bigint): Buffer => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(value);
  return bytes;
};

describe('the binary COPY reader', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('reads back what the server wrote: integers, text, nulls, on both engines', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('\u0000'));
    const row = fc.tuple(fc.option(fc.integer({ min: Number.MIN_SAFE_INTEGER + 1, max: Number.MAX_SAFE_INTEGER })), fc.option(text));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 20 }), async (rows) => {
        const copied = await t.db.transaction('platform', async (tx) => {
          await tx.query('CREATE TEMP TABLE probe (i serial, n bigint, s text) ON COMMIT DROP');
          for (const [n, s] of rows) await tx.query('INSERT INTO probe (n, s) VALUES ($1, $2)', [n, s]);
          return tx.copyOut('SELECT n, s FROM probe ORDER BY i');
        });
        const read: [number | null, string | null][] = [];
        for (const reader = new CopyBinaryReader(copied, 2); reader.next(); ) read.push([reader.int64(0), reader.isNull(1) ? null : reader.bytes(1).toString('utf8')]);
        expect(read).toEqual(rows);
      }),
      { numRuns: 25 },
    );
  });

  it('gives an instant in Unix microseconds', async () => {
    const copied = await t.db.transaction('platform', (tx) =>
      tx.copyOut(`SELECT '2000-01-01T00:00:00.000001Z'::timestamptz, '1969-12-31T23:59:59.999999Z'::timestamptz, '2026-12-05T01:02:03.456789Z'::timestamptz`),
    );
    const reader = new CopyBinaryReader(copied, 3);
    expect(reader.next()).toBe(true);
    expect([reader.unixMicros(0), reader.unixMicros(1), reader.unixMicros(2)]).toEqual([946_684_800_000_001n, -1n, BigInt(Date.parse('2026-12-05T01:02:03.456Z')) * 1000n + 789n]);
    expect(reader.next()).toBe(false);
  });

  it('refuses what the server never writes: another signature, a truncated field, another field count, bytes after the end', () => {
    const good = Buffer.concat([header, tuple(int8(5n), Buffer.from('a')), trailer]);
    const read = (bytes: Buffer, fields = 2): void => {
      for (const reader = new CopyBinaryReader(bytes, fields); reader.next(); );
    };
    expect(() => read(good)).not.toThrow();
    expect(() => read(Buffer.concat([Buffer.from('PGCOPX'), good.subarray(6)]))).toThrow(/signature/);
    expect(() => read(good.subarray(0, good.length - 3))).toThrow(RangeError);
    expect(() => read(good, 3)).toThrow(/2 champs, 3 attendus/);
    expect(() => read(Buffer.concat([good, Buffer.from([0])]))).toThrow(/après la fin/);
  });

  it('refuses an integer a number cannot hold exactly, and a field of the wrong width', () => {
    const reader = new CopyBinaryReader(Buffer.concat([header, tuple(int8(2n ** 53n + 2n), Buffer.from('abc')), trailer]), 2);
    reader.next();
    expect(() => reader.int64(0)).toThrow(/inexact/);
    expect(() => reader.int64(1)).toThrow(/3 octets, 8 attendus/);
  });

  it.skipIf(process.env.DATABASE_URL)('is refused outside the platform scope on PGlite, where it reads as the superuser', async () => {
    await expect(t.db.transaction({ insurerId: 1 }, (tx) => tx.copyOut('SELECT 1'))).rejects.toThrow(/portée plateforme/);
  });
});
