import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyBinaryReader } from '../db/copy-binary.js';
import type { Tx } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { encodeLeaf, microsToIso, SEAL_BYTES, type StoredAccessRecord } from './leaf.js';
import { WIRE_RECORD_COLUMNS, WIRE_RECORD_FIELDS, WireLeafWriter } from './leaf-wire.js';

const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arbitrary, { nil: null });
const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
// PostgreSQL text holds no NUL character.
const text = (unit: 'grapheme' | 'grapheme-ascii' = 'grapheme-ascii'): fc.Arbitrary<string> => fc.string({ unit, maxLength: 80 }).filter((s) => !s.includes('\u0000'));
const record: fc.Arbitrary<StoredAccessRecord> = fc.record({
  id,
  // From 1900 to 9999: both sides of both epochs (1970 and PostgreSQL's 2000).
  atMicros: fc.bigInt({ min: -2_208_988_800_000_000n, max: 253_402_300_799_999_999n }),
  xid: fc.bigInt({ min: 3n, max: (1n << 63n) - 1n }),
  insurerId: optional(fc.integer({ min: 1, max: 2 ** 31 - 1 })),
  beneficiaryId: optional(id),
  professionalId: optional(id),
  siteId: optional(id),
  clientId: optional(text()),
  sessionRef: optional(text()),
  ip: optional(text()),
  device: optional(text('grapheme')),
  purpose: optional(text()),
  disclosed: fc.array(text('grapheme'), { maxLength: 6 }),
  result: optional(text()),
  staffId: optional(id),
  seal: optional(fc.uint8Array({ minLength: SEAL_BYTES, maxLength: SEAL_BYTES }).map((bytes) => Buffer.from(bytes))),
});

/** A table with access_record's column types and none of its constraints, rows numbered in insertion order (i). */
async function probeTable(tx: Tx): Promise<void> {
  await tx.query('CREATE TEMP TABLE probe ON COMMIT DROP AS SELECT * FROM access_record WHERE false');
  await tx.query('ALTER TABLE probe ADD COLUMN i serial');
}

/** The records through the probe table, read back as the verifier reads them. */
async function copied(tx: Tx, records: readonly StoredAccessRecord[]): Promise<Buffer> {
  await probeTable(tx);
  for (const r of records) {
    await tx.query(
      `INSERT INTO probe (id, at, xid, insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, staff_id, seal)
       VALUES ($1, $2::timestamptz, $3::xid8, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text[], $14, $15, $16)`,
      [r.id, microsToIso(r.atMicros), r.xid.toString(), r.insurerId, r.beneficiaryId, r.professionalId, r.siteId, r.clientId, r.sessionRef, r.ip, r.device, r.purpose, r.disclosed, r.result, r.staffId, r.seal],
    );
  }
  return tx.copyOut(`SELECT ${WIRE_RECORD_COLUMNS} FROM probe r ORDER BY i`);
}

describe('leaf bytes from the wire', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('are the reference encoding’s bytes for any record, on both engines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 8 }), async (records) => {
        const bytes = await t.db.transaction('platform', (tx) => copied(tx, records));
        const writer = new WireLeafWriter();
        const wire: string[] = [];
        for (const rows = new CopyBinaryReader(bytes, WIRE_RECORD_FIELDS); rows.next(); ) wire.push(writer.encode(rows, 0)?.toString('hex') ?? 'null');
        expect(wire).toEqual(records.map((r) => encodeLeaf(r).toString('hex')));
      }),
      { numRuns: 60 },
    );
  });

  it('are none for a row no record could be: a required column NULL, a disclosed list of two dimensions or with a NULL', async () => {
    const base = fc.sample(record, { numRuns: 1, seed: 7 })[0] as StoredAccessRecord;
    const bytes = await t.db.transaction('platform', async (tx) => {
      await probeTable(tx);
      const insert = `INSERT INTO probe (id, at, xid, disclosed) VALUES ($1, $2::timestamptz, $3::xid8, $4::text[])`;
      const at = microsToIso(base.atMicros);
      await tx.query(insert, [base.id, at, base.xid.toString(), '{}']);
      await tx.query(insert, [null, at, base.xid.toString(), '{}']);
      await tx.query(insert, [base.id, at, base.xid.toString(), '{{a,b},{c,d}}']);
      await tx.query(insert, [base.id, at, base.xid.toString(), '{a,NULL}']);
      await tx.query(insert, [base.id, at, base.xid.toString(), null]);
      return tx.copyOut(`SELECT ${WIRE_RECORD_COLUMNS} FROM probe r ORDER BY i`);
    });
    const writer = new WireLeafWriter();
    const encoded: boolean[] = [];
    for (const rows = new CopyBinaryReader(bytes, WIRE_RECORD_FIELDS); rows.next(); ) encoded.push(writer.encode(rows, 0) !== null);
    expect(encoded).toEqual([true, false, false, false, false]);
  });
});
