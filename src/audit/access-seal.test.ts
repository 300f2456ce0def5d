import { createSecretKey, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { accessSealer, AccessSealer, type SealedRequest } from './access-seal.js';
import { AuditSigner, TrustedKeys } from './checkpoint-signer.js';
import type { StoredAccessRecord } from './leaf.js';
import { runSequencer } from './sequencer.js';
import { startSequencer } from './sequencer-loop.js';
import { BlindSealer } from './test-support/blind-sealer.js';
import { appendRecords, sequenceUntil } from './test-support/log.js';
import { asOwner } from './test-support/superuser.js';
import { verifyAccessLog } from './verify.js';

const signer = AuditSigner.generate();
const keys = new TrustedKeys([signer.publicKey]);

const request: SealedRequest = {
  insurerId: 3,
  professionalId: 101,
  siteId: 7,
  staffId: null,
  clientId: 'logiciel-demo',
  sessionRef: null,
  ip: '192.0.2.10',
  device: 'poste 1',
  purpose: 'rights_check',
};
const outcome = { beneficiaryId: 1001, disclosed: ['DENT', 'OPTI'], result: 'covered' };
const stored = (seal: Buffer, changes: Partial<StoredAccessRecord> = {}): StoredAccessRecord => ({ id: 1, atMicros: 0n, xid: 1n, ...request, ...outcome, seal, ...changes });

describe('the seal of an access record', () => {
  const sealer = new AccessSealer(createSecretKey(randomBytes(32)));

  it('holds over the whole record, or over the request only, and breaks with any sealed field or another key', () => {
    const whole = sealer.seal(request, outcome);
    expect(sealer.check(stored(whole))).toBe('valid');
    // What the database chose (id, time, transaction) is not sealed: the nonce stands for it.
    expect(sealer.check(stored(whole, { id: 2, atMicros: 5n, xid: 9n }))).toBe('valid');
    for (const changes of [{ beneficiaryId: 1002 }, { disclosed: ['DENT'] }, { result: 'not_found' }, { professionalId: 102 }, { insurerId: 4 }, { ip: '192.0.2.11' }]) {
      expect(sealer.check(stored(whole, changes))).toBe('invalid');
    }
    const requestOnly = sealer.seal(request);
    expect(sealer.check(stored(requestOnly, { beneficiaryId: 77, result: 'not_found' }))).toBe('valid');
    expect(sealer.check(stored(requestOnly, { purpose: 'coverage' }))).toBe('invalid');
    expect(new AccessSealer(createSecretKey(randomBytes(32))).check(stored(whole))).toBe('invalid');
    expect(sealer.check(stored(whole, { seal: null }))).toBe('unsealed');
    // Two seals of the same record differ (a fresh nonce each), and the scope byte is sealed.
    expect(sealer.seal(request, outcome).equals(whole)).toBe(false);
    const widened = Buffer.from(requestOnly);
    widened[1] = 2;
    expect(sealer.check(stored(widened))).toBe('invalid');
  });
});

/** A record inserted behind the application's back, as the store's owner: no key, so no seal or a made-up one. */
const forge = (t: TestDatabase, seal: Buffer | null): Promise<number> =>
  asOwner(t, async (owner) => {
    const rows = await owner.query<{ id: string }>(
      `INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, ip, purpose, disclosed, result, seal)
       VALUES (NULL, 4242, 101, 7, 'logiciel-demo', '192.0.2.10', 'rights_check', '{DENT}', 'covered', $1) RETURNING id`,
      [seal],
    );
    return Number(rows[0]?.id);
  });

const quarantine = (t: TestDatabase): Promise<{ record_id: number; reason: string }[]> =>
  t.db.transaction('platform', async (tx) => (await tx.query<{ record_id: number; reason: string }>('SELECT record_id::int, reason FROM access_quarantine ORDER BY record_id')).rows);

const alerts = (t: TestDatabase): Promise<{ kind: string; summary: string; details: { source: string; records: { id: number; reason: string }[] } }[]> =>
  t.db.transaction('platform', async (tx) => (await tx.query<{ kind: string; summary: string; details: { source: string; records: { id: number; reason: string }[] } }>('SELECT kind, summary, details FROM shield_alert ORDER BY id')).rows);

describe('the log does not trust its database', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(() => t.drop());

  it('leaves out of the signed tree a row the store’s owner inserted, sets it aside, raises one alert, and signs the genuine ones', async () => {
    const genuine = await appendRecords(t.db, 2);
    const unsealed = await forge(t, null);
    const madeUp = await forge(t, Buffer.concat([Buffer.from([1, 2]), randomBytes(48)]));
    const after = await appendRecords(t.db, 1);
    const passes = await sequenceUntil(t.db, signer, 3);
    expect(passes.reduce((sum, pass) => sum + pass.quarantined, 0)).toBe(2);
    const leaves = await t.db.transaction('platform', async (tx) => (await tx.query<{ record_id: number }>('SELECT record_id::int FROM access_leaf ORDER BY leaf_index')).rows);
    expect(leaves.map((leaf) => leaf.record_id)).toEqual([...genuine, ...after]);
    expect(await quarantine(t)).toEqual([
      { record_id: unsealed, reason: 'unsealed' },
      { record_id: madeUp, reason: 'invalid' },
    ]);
    const [alert, ...more] = await alerts(t);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ kind: 'platform', details: { source: 'access_log', records: [{ id: unsealed, reason: 'unsealed' }, { id: madeUp, reason: 'invalid' }] } });
    expect(alert?.summary).toMatch(/^Journal d’accès : 2 enregistrement\(s\) écrit\(s\) sans la clé de l’application/);

    // Later passes neither sign them nor raise the alert again; verify counts them apart, with or without the key.
    await appendRecords(t.db, 1);
    await sequenceUntil(t.db, signer, 4);
    expect(await alerts(t)).toHaveLength(1);
    expect(await verifyAccessLog(t.db, keys, { sealer: accessSealer() })).toMatchObject({ ok: true, leaves: 4, seals: 'checked', quarantined: 2 });
    expect(await verifyAccessLog(t.db, keys)).toMatchObject({ ok: true, leaves: 4, seals: 'unchecked', quarantined: 2 });
  });

  it('refuses a real record’s seal copied onto another row, whether the original is already signed or in the same pass', async () => {
    const [original] = await appendRecords(t.db, 1, 'platform', { beneficiaryId: 4242, disclosed: ['DENT'], result: 'covered' });
    const copy = (): Promise<number> =>
      asOwner(t, async (owner) => {
        const rows = await owner.query<{ id: string }>(
          `INSERT INTO access_record (insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal)
           SELECT insurer_id, beneficiary_id, professional_id, site_id, client_id, session_ref, ip, device, purpose, disclosed, result, seal
             FROM access_record WHERE id = $1 RETURNING id`,
          [original],
        );
        return Number(rows[0]?.id);
      });
    const samePass = await copy();
    await sequenceUntil(t.db, signer, 1);
    const later = await copy();
    await appendRecords(t.db, 1);
    await sequenceUntil(t.db, signer, 2);
    expect(await quarantine(t)).toEqual([
      { record_id: samePass, reason: 'replayed' },
      { record_id: later, reason: 'replayed' },
    ]);
    expect((await alerts(t)).flatMap((alert) => alert.details.records.map((record) => record.id))).toEqual([samePass, later]);
    expect(await verifyAccessLog(t.db, keys, { sealer: accessSealer() })).toMatchObject({ ok: true, leaves: 2, quarantined: 2 });
  });

  it('seals the disclosure functions’ records over the request, and refuses one whose request seal is another caller’s', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const disclose = (seal: Buffer): Promise<unknown> =>
      t.db.query('SELECT * FROM disclose_rights($1, $2, $3, $4::date, $5::text[], $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)', [
        3, randomBytes(32), 'M-1', day, ['PHAR'], 'E-1', new Date(), new Date(), 101, 7, 'logiciel-demo', null, '192.0.2.10', 'poste 1', seal,
      ]);
    await disclose(accessSealer().seal(request));
    await disclose(accessSealer().seal({ ...request, professionalId: 102 }));
    await sequenceUntil(t.db, signer, 1);
    const [refused] = await quarantine(t);
    expect(refused?.reason).toBe('invalid');
    expect(await verifyAccessLog(t.db, keys, { sealer: accessSealer() })).toMatchObject({ ok: true, leaves: 1, quarantined: 1 });
  });

  it('names a forged record that a sequencer without the seal key signed, once verify has the key', async () => {
    await appendRecords(t.db, 2);
    const forged = await forge(t, null);
    await appendRecords(t.db, 1);
    // Whoever stole the signing key runs a sequencer of their own, which checks no seal.
    await sequenceUntil(t.db, signer, 4, { sealer: new BlindSealer() });
    expect(await verifyAccessLog(t.db, keys, { sealer: accessSealer() })).toMatchObject({ ok: false, problem: { code: 'AUDIT_RECORD_FORGED', recordId: forged, leafIndex: 2 } });
    // Without the key, what needs none: an unsealed record after sealed ones.
    expect(await verifyAccessLog(t.db, keys)).toMatchObject({ ok: false, problem: { code: 'AUDIT_RECORD_FORGED', recordId: forged } });
  });

  it('gives each new signed head to a witness folder outside the data, from the sequencer’s loop', async () => {
    const witness = join(mkdtempSync(join(tmpdir(), 'rempart-home-')), 'witness');
    await appendRecords(t.db, 3);
    const errors: unknown[] = [];
    const loop = startSequencer(t.db, signer, { intervalMs: 20, witness, onError: (error) => errors.push(error) });
    let files: string[] = [];
    for (let i = 0; i < 200 && files.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      files = existsSync(witness) ? readdirSync(witness) : [];
    }
    await loop.stop();
    expect(errors).toEqual([]);
    expect(files).toEqual(['3.json']);
    const pass = await runSequencer(t.db, signer, { wait: true });
    expect(pass.status).toBe('idle');
  });
});
