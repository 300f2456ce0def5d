import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLeaf, encodeLeaf, microsToIso, SEAL_BYTES, type StoredAccessRecord } from './leaf.js';
import { leafHash } from './merkle.js';

const sample: StoredAccessRecord = {
  id: 7,
  atMicros: 1_795_383_215_632_123n,
  xid: 4_294_967_296n + 770n,
  insurerId: 3,
  beneficiaryId: null,
  professionalId: 12,
  siteId: 5,
  clientId: 'logiciel-a',
  sessionRef: null,
  ip: '10.0.0.1',
  device: null,
  purpose: 'rights_check',
  disclosed: ['DENT', 'OPTI'],
  result: 'covered',
};

const text = (value: string): string => {
  const utf8 = Buffer.from(value, 'utf8');
  return utf8.length.toString(16).padStart(8, '0') + utf8.toString('hex');
};

describe('the leaf encoding, version 1', () => {
  it('lays a record out exactly as documented (a vector for auditors re-implementing it)', () => {
    const expected = [
      '01', // version
      '0000000000000007', // id
      '000660e43acdaefb', // at, µs since the epoch: 2026-11-22T21:33:35.632123Z
      '0000000100000302', // xid8: epoch 1, xid 770
      '01' + '0000000000000003', // insurer_id
      '00', // beneficiary_id NULL
      '01' + '000000000000000c', // professional_id
      '01' + '0000000000000005', // site_id
      '01' + text('logiciel-a'), // client_id
      '00', // session_ref NULL
      '01' + text('10.0.0.1'), // ip
      '00', // device NULL
      '01' + text('rights_check'), // purpose
      '00000002' + text('DENT') + text('OPTI'), // disclosed
      '01' + text('covered'), // result
    ].join('');
    expect(encodeLeaf(sample).toString('hex')).toBe(expected);
    expect(microsToIso(sample.atMicros)).toBe('2026-11-22T21:33:35.632123Z');
    expect(leafHash(encodeLeaf(sample)).toString('hex')).toBe(leafHash(Buffer.from(expected, 'hex')).toString('hex'));
  });

  it('writes a record disclosed to a member of staff in format 2: format 1 and the staff member', () => {
    const staff = { ...sample, professionalId: null, siteId: null, staffId: 9 };
    const v1 = encodeLeaf({ ...staff, staffId: null }).toString('hex');
    expect(v1.startsWith('01')).toBe(true);
    expect(encodeLeaf(staff).toString('hex')).toBe(`02${v1.slice(2)}010000000000000009`);
    expect(decodeLeaf(encodeLeaf(staff))).toEqual(staff);
  });

  it('writes a sealed record in format 3: format 1, the staff member or none, and the 50 bytes of its seal', () => {
    const seal = Buffer.alloc(SEAL_BYTES, 7);
    const v1 = encodeLeaf(sample).toString('hex');
    expect(encodeLeaf({ ...sample, seal }).toString('hex')).toBe(`03${v1.slice(2)}00${seal.toString('hex')}`);
    expect(decodeLeaf(encodeLeaf({ ...sample, seal }))).toEqual({ ...sample, staffId: null, seal });
    expect(() => encodeLeaf({ ...sample, seal: seal.subarray(1) })).toThrow(/sceau de 49 octets/);
  });

  it('tells apart what a naive concatenation would confuse', () => {
    const a = encodeLeaf({ ...sample, disclosed: ['DE', 'NT'] });
    const b = encodeLeaf({ ...sample, disclosed: ['DENT'] });
    const c = encodeLeaf({ ...sample, clientId: null, sessionRef: 'logiciel-a' });
    const d = encodeLeaf({ ...sample, device: '' });
    expect(new Set([a, b, c, d, encodeLeaf(sample)].map((bytes) => bytes.toString('hex'))).size).toBe(5);
  });

  const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arbitrary, { nil: null });
  const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
  const record: fc.Arbitrary<StoredAccessRecord> = fc.record({
    id,
    atMicros: fc.bigInt({ min: 0n, max: 253_402_300_799_999_999n }),
    xid: fc.bigInt({ min: 3n, max: (1n << 63n) - 1n }),
    insurerId: optional(id),
    beneficiaryId: optional(id),
    professionalId: optional(id),
    siteId: optional(id),
    clientId: optional(fc.string()),
    sessionRef: optional(fc.string()),
    ip: optional(fc.string()),
    device: optional(fc.string({ unit: 'grapheme' })),
    purpose: optional(fc.string()),
    disclosed: fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 6 }),
    result: optional(fc.string()),
    staffId: optional(id),
    seal: optional(fc.uint8Array({ minLength: SEAL_BYTES, maxLength: SEAL_BYTES }).map((bytes) => Buffer.from(bytes))),
  });

  it('decodes back to the record it encodes: two records never share their bytes', () => {
    fc.assert(
      fc.property(record, (value) => {
        // A record without seal decodes without one (formats 1 and 2).
        const { seal, ...unsealed } = value;
        expect(decodeLeaf(encodeLeaf(value))).toEqual(seal === null ? unsealed : value);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses bytes that no record encodes to', () => {
    const bytes = encodeLeaf(sample);
    expect(() => decodeLeaf(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/en trop/);
    expect(() => decodeLeaf(bytes.subarray(0, bytes.length - 1))).toThrow(/tronquée/);
    expect(() => decodeLeaf(Buffer.concat([Buffer.from([4]), bytes.subarray(1)]))).toThrow(/version/);
  });

  it('writes instants to the microsecond, before and after the epoch', () => {
    expect(microsToIso(0n)).toBe('1970-01-01T00:00:00.000000Z');
    expect(microsToIso(-1n)).toBe('1969-12-31T23:59:59.999999Z');
    expect(microsToIso(1_000_001n)).toBe('1970-01-01T00:00:01.000001Z');
  });
});
