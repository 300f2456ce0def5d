import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, withHomeStore, type TestDatabase } from '../../db/test-support/test-database.js';
import { appendRecords } from '../../audit/test-support/log.js';
import { asAttacker } from '../../audit/test-support/superuser.js';
import { logStatus, verifyInclusion, type RecordInclusion, type SignedHead } from '../../audit/index.js';
import { describeHeads, describePass, describeVerification, describeWitnesses } from './audit.js';

describe('the audit verdicts', () => {
  it('says OK with the counts', () => {
    const retention = { months: 0, records: 0, unchecked: 0 };
    const output = describeVerification({ ok: true, leaves: 12, checkpoints: 3, rootHash: Buffer.alloc(32, 0xab), pending: 2, keyIds: ['k1'], retention, seals: 'checked', quarantined: 0 });
    expect(output.ok).toBe(true);
    expect(output.lines[0]).toBe("OK : journal d'accès intègre, 12 accès séquencés, 3 points de contrôle signés vérifiés.");
    expect(output.lines).toContain('  En attente de séquencement : 2');
    expect(output.lines.join('\n')).not.toContain('purgé');
  });

  it('says how much the retention dropped, and that those leaves were not rehashed', () => {
    const output = describeVerification({
      ok: true,
      leaves: 12,
      checkpoints: 3,
      rootHash: Buffer.alloc(32, 0xab),
      pending: 0,
      keyIds: ['k1'],
      retention: { months: 2, records: 7, unchecked: 7 },
      seals: 'checked',
      quarantined: 0,
    });
    expect(output.lines).toContain('  Purgé selon la durée de conservation : 2 mois, 7 accès (traces de purge signées vérifiées)');
    expect(output.lines).toContain('  Feuilles sans enregistrement (purgées) : 7, hachages non recalculables, placés sous les racines signées');
  });

  it('names the first bad record, its leaf and why', () => {
    const witnessed = [{ dir: '/srv/témoins', heads: 2, treeSize: 40 }];
    const output = describeVerification(
      {
        ok: false,
        problem: { code: 'AUDIT_RECORD_MODIFIED', leafIndex: 41, recordId: 123, treeSize: undefined, detail: 'détail' },
        leavesChecked: 41,
        checkpointsChecked: 3,
      },
      witnessed,
    );
    expect(output).toEqual({
      ok: false,
      lines: [
        'Journal d’accès : enregistrement modifié',
        '  Code : AUDIT_RECORD_MODIFIED',
        '  Feuille : 41',
        '  Enregistrement : 123',
        '  Motif : détail',
        '  Vérifié jusque-là : 41 feuilles, 3 points de contrôle',
        '  Témoin vérifié : /srv/témoins (2 tête(s), jusqu’à 40 feuilles)',
      ],
    });
  });

  it('lists signed heads oldest first, says they are the sizes proofs accept, and when older ones are left out', () => {
    const head = (treeSize: number, ms: number): SignedHead => ({ treeSize, rootHash: 'ab'.repeat(32), createdAtMicros: String(ms * 1000), keyId: 'k1', signature: '' });
    const now = Date.now();
    const lines = describeHeads({ heads: [head(3, now - 1000), head(5, now)], total: 4 });
    expect(lines[0]).toBe('2 point(s) de contrôle signé(s) sur 4 (les plus récents ; --limit ou --from-size pour les autres).');
    expect(lines[1]).toContain('rempart audit consistency --from A --to B');
    expect(lines.slice(2)).toEqual([
      `  taille 3 : signé le ${new Date(now - 1000).toISOString()}, clé k1, racine ${'ab'.repeat(32)}`,
      `  taille 5 : signé le ${new Date(now).toISOString()}, clé k1, racine ${'ab'.repeat(32)}`,
    ]);
    expect(describeHeads({ heads: [head(3, now)], total: 1 })[0]).toBe('1 point(s) de contrôle signé(s) sur 1.');
    expect(describeHeads({ heads: [], total: 0 })).toEqual(['Aucun point de contrôle signé : rien à prouver encore (rempart audit checkpoint en signe un).']);
  });

  it('names the witnesses it read, and warns plainly when none was', () => {
    expect(describeWitnesses([{ dir: '/srv/témoins/cnil', heads: 4, treeSize: 120 }])).toEqual(['  Témoin vérifié : /srv/témoins/cnil (4 tête(s), jusqu’à 120 feuilles)']);
    const none = describeWitnesses([]);
    expect(none[0]).toMatch(/^ {2}ATTENTION : aucun témoin vérifié\. Sans tête d’arbre conservée hors de la base, un journal réécrit et re-signé/);
    const report = { ok: true as const, leaves: 1, checkpoints: 1, rootHash: Buffer.alloc(32), pending: 0, keyIds: ['k1'], retention: { months: 0, records: 0, unchecked: 0 } };
    expect(describeVerification({ ...report, seals: 'unchecked', quarantined: 2 }).lines).toEqual(
      expect.arrayContaining([
        '  Sceaux : non recalculés (clé de sceau absente : REMPART_ACCESS_SEAL_KEY_FILE) ; seule leur présence est vérifiée',
        '  ATTENTION : 2 enregistrement(s) écrit(s) sans la clé de l’application, écartés par le séquenceur (table access_quarantine, alerte levée)',
        ...none,
      ]),
    );
  });

  it('reports a pass, and what waits behind an open transaction', () => {
    expect(describePass({ status: 'idle', appended: 0, treeSize: 5, checkpoint: undefined, pending: 2, quarantined: 0 })).toEqual([
      'Rien de nouveau à séquencer (arbre de 5 feuilles).',
      '2 accès en attente : une transaction plus ancienne est encore ouverte.',
    ]);
  });
});

/** `rempart ARGS` as a separate process, as an operator or an auditor runs it. */
function rempart(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

/**
 * `audit checkpoint` once the records are final. On a shared server, a transaction another
 * test file leaves open for a moment holds them pending (xmin is cluster-wide), as the
 * sequencer must: the pass is tried again, as its schedule would.
 */
async function checkpointWhenFinal(env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  for (let attempt = 1; ; attempt++) {
    const pass = await rempart(env, ['audit', 'checkpoint']);
    if (!pass.out.includes('en attente') || attempt >= 30) return pass;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

describe('rempart audit, end to end', () => {
  const home = mkdtempSync(join(tmpdir(), 'rempart-audit-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, REMPART_HOME: home };
  delete env.REMPART_MASTER_KEY;
  delete env.REMPART_MASTER_KEY_FILE;
  let server: TestDatabase | undefined;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      server = await createTestDatabase();
      env.DATABASE_URL = server.url;
      // Outside the home: a server refuses its log keys beside the data.
      const key = join(mkdtempSync(join(tmpdir(), 'rempart-audit-keys-')), 'operator-audit.pem');
      writeFileSync(key, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
      env.REMPART_AUDIT_KEY_FILE = key;
    } else {
      delete env.DATABASE_URL;
    }
  });
  afterAll(async () => {
    await server?.drop();
  });

  it('checkpoints, verifies, names a tampered record with exit code 1, and needs no master key', async () => {
    const ids = await withHomeStore(home, server, async (t) => appendRecords(t.db, 3));
    const pass = await checkpointWhenFinal(env);
    expect(pass.err).not.toMatch(/rempart :|Error/);
    expect(pass.code).toBe(0);
    expect(pass.out).toMatch(/^3 accès séquencé\(s\) ; point de contrôle signé : 3 feuilles/);

    const good = await rempart(env, ['audit', 'verify', '--batch', '2']);
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/^OK : journal d'accès intègre, 3 accès séquencés, 1 points de contrôle signés vérifiés\./);
    expect(good.out).toContain('  Sceaux : recalculés avec la clé de sceau, tous ceux de l’arbre sont ceux de l’application');
    // The embedded store keeps its own witness beside its data, and verify reads it; a server has none unless told, and verify says so.
    if (server) expect(good.out).toContain('  ATTENTION : aucun témoin vérifié.');
    else expect(good.out).toContain(`  Témoin vérifié : ${join(home, 'witness')} (1 tête(s), jusqu’à 3 feuilles)`);

    const published = await rempart(env, ['audit', 'public-key']);
    expect(published.code).toBe(0);
    expect(published.out).toMatch(/^# key_id [0-9a-f]{32}\n-----BEGIN PUBLIC KEY-----/);
    const pem = join(home, 'audit.pub');
    writeFileSync(pem, published.out.split('\n').slice(1).join('\n'));
    expect((await rempart(env, ['audit', 'verify', '--public-key', pem])).code).toBe(0);

    const stranger = join(home, 'stranger.pub');
    writeFileSync(stranger, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const untrusted = await rempart(env, ['audit', 'verify', '--public-key', stranger]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.out).toContain('  Code : AUDIT_KEY_UNKNOWN');

    // Witnesses receive the head; a proof of a record and of consistency come out as JSON anyone checks.
    const witnesses = join(home, 'témoins');
    const handed = await rempart(env, ['audit', 'witness', '--out', witnesses, '--name', 'cnil', '--name', 'mutuelle-a']);
    expect(handed.out).toBe('cnil : 1 tête(s) remise(s), jusqu’à 3 feuilles\nmutuelle-a : 1 tête(s) remise(s), jusqu’à 3 feuilles\n');
    const witnessed = await rempart(env, ['audit', 'verify', '--witness', witnesses]);
    expect(witnessed.code).toBe(0);
    expect(witnessed.out).toContain(`  Témoin vérifié : ${witnesses} (2 tête(s), jusqu’à 3 feuilles)`);
    const proof = JSON.parse((await rempart(env, ['audit', 'prove', '--record', String(ids[2])])).out) as RecordInclusion;
    expect(proof).toMatchObject({ recordId: ids[2], leafIndex: 2, head: { treeSize: 3 } });
    expect(verifyInclusion(2, 3, Buffer.from(proof.leafHash, 'hex'), proof.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(proof.head.rootHash, 'hex'))).toBe(true);
    const unknown = await rempart(env, ['audit', 'prove', '--record', '999999']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('pas encore dans un point de contrôle signé');
    expect(JSON.parse((await rempart(env, ['audit', 'consistency', '--from', '3', '--to', '3'])).out)).toMatchObject({ from: { treeSize: 3 }, to: { treeSize: 3 }, proof: [] });

    await withHomeStore(home, server, (t) => asAttacker(t, (su) => su.query(`UPDATE access_record SET result = 'not_covered' WHERE id = $1`, [ids[1]])));
    const bad = await rempart(env, ['audit', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.out.split('\n')).toEqual(expect.arrayContaining(['  Code : AUDIT_RECORD_MODIFIED', '  Feuille : 1', `  Enregistrement : ${ids[1]}`]));
    // Each verification is noted for the security console, the witnesses read with it, the failure too.
    const notes = await withHomeStore(home, server, async (t) => (await logStatus(t.db)).derniereVerification);
    expect(notes).toMatchObject({ integre: false, probleme: { code: 'AUDIT_RECORD_MODIFIED' } });
    const noted = await withHomeStore(home, server, (t) => t.db.transaction('platform', (tx) => tx.query<{ ok: boolean; witnesses: { dir: string }[] }>('SELECT ok, witnesses FROM audit_verification ORDER BY id')));
    expect(noted.rows.map((row) => row.ok)).toEqual([true, true, false, true, false]);
    expect(noted.rows[3]?.witnesses.map((w) => w.dir)).toContain(witnesses);
  }, 180_000);

  it('lists the signed sizes, and audit consistency accepts them and no other', async () => {
    await withHomeStore(home, server, async (t) => appendRecords(t.db, 2));
    expect((await checkpointWhenFinal(env)).code).toBe(0);
    const listed = await rempart(env, ['audit', 'checkpoints']);
    expect(listed.code).toBe(0);
    const sizes = [...listed.out.matchAll(/^ {2}taille (\d+) :/gm)].map((match) => Number(match[1]));
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    const json = JSON.parse((await rempart(env, ['audit', 'checkpoints', '--json'])).out) as SignedHead[];
    expect(json.map((head) => head.treeSize)).toEqual(sizes);
    const [oldest, latest] = [sizes[0] ?? 0, sizes.at(-1) ?? 0];
    const proof = await rempart(env, ['audit', 'consistency', '--from', String(oldest), '--to', String(latest)]);
    expect(proof.code).toBe(0);
    expect(JSON.parse(proof.out)).toMatchObject({ from: { treeSize: oldest }, to: { treeSize: latest } });
    const unsigned = Array.from({ length: latest }, (_, i) => i + 1).find((size) => !sizes.includes(size)) ?? 0;
    const refused = await rempart(env, ['audit', 'consistency', '--from', String(unsigned), '--to', String(latest)]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('Aucun point de contrôle signé de cette taille');
    const newest = await rempart(env, ['audit', 'checkpoints', '--limit', '1']);
    expect([...newest.out.matchAll(/^ {2}taille (\d+) :/gm)].map((match) => Number(match[1]))).toEqual([latest]);
  }, 180_000);
});
