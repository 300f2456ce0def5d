import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDemoClient, createDemoClient, OPTICIAN_SOFTWARE, type DemoSoftware } from '../access/demo-client.js';
import { AccessSealer, AuditSigner, TrustedKeys, verifyAccessLog } from '../audit/index.js';
import { sequenceUntil } from '../audit/test-support/log.js';
import { asSuperuser } from '../audit/test-support/superuser.js';
import { SERVER_KEY_FILES, initServerKeys } from '../cli/keys-init.js';
import { freePort, homeEnv, startServer, type RunningServer } from '../cli/test-support/rempart.js';
import { today } from '../clock.js';
import { SERVING_ROLE } from '../db/database.js';
import { createTestDatabase, withHomeStore, type TestDatabase } from '../db/test-support/test-database.js';
import { seededRng } from '../domain/random.js';
import { loadPopulation, type CardHolder } from '../rights/test-support/population.js';
import { lenientThresholds } from '../shield/test-support/shield.js';
import { rightsCover } from '../synthetic/read-back.js';
import { LocalMasterKey, Vault } from '../vault/index.js';
import { invoice, lens, LOTS, type InvoiceAnswer } from './test-support/invoices.js';

const TODAY = today();
const CEILING = 40_000;
/** Invoices of 15 000 per beneficiary: 15 000, 15 000, 10 000 paid, the fourth rejected (GAR_CEILING); a consumption counted twice or left without its invoice shows in them. */
const PER_HOLDER = 4;
const HOLDERS = 6;
const KILLS = 2;

/** The platform's home as `rempart start` runs it, and the server's test database when DATABASE_URL names one. */
interface Place {
  home: string;
  env: NodeJS.ProcessEnv;
  server: TestDatabase | undefined;
}

async function newPlace(masterKey: Buffer): Promise<Place> {
  const root = mkdtempSync(join(tmpdir(), 'rempart-invoice-crash-'));
  const home = join(root, 'home');
  mkdirSync(join(home, 'demo'), { recursive: true });
  // The server's signing keys outside its home (a server refuses them inside); the master and seal keys are this process's.
  await initServerKeys(join(root, 'keys'));
  const thresholds = join(root, 'shield.json');
  writeFileSync(thresholds, JSON.stringify(lenientThresholds));
  const server = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
  const env: NodeJS.ProcessEnv = {
    ...homeEnv(home),
    REMPART_MASTER_KEY: masterKey.toString('base64'),
    REMPART_ACCESS_SEAL_KEY: process.env.REMPART_ACCESS_SEAL_KEY,
    REMPART_TOKEN_KEY_FILE: join(root, 'keys', SERVER_KEY_FILES.token),
    REMPART_AUDIT_KEY_FILE: join(root, 'keys', SERVER_KEY_FILES.audit),
    REMPART_SHIELD_THRESHOLDS: thresholds,
    // A sequencer pass every quarter second: the kills land in its passes too.
    REMPART_AUDIT_INTERVAL_MS: '250',
    ...(server?.url ? { DATABASE_URL: server.url } : {}),
  };
  return { home, env, server };
}

/** The population, the optician's software, and every optics guarantee at actual cost within one 24-month ceiling per beneficiary. */
async function prepare(place: Place, masterKey: Buffer): Promise<CardHolder[]> {
  return withHomeStore(place.home, place.server, async (t) => {
    const population = await loadPopulation(t.db, new Vault(new LocalMasterKey(masterKey)));
    await createDemoClient(t.db, place.home);
    await asSuperuser(t, (su) =>
      su.query(
        `UPDATE guarantee SET basis = 'actual_cost', rate_bp = 0, flat_cents = 0, families = '{}', annual_ceiling_cents = $1,
                ceiling_period_months = 24, ceiling_scope = 'beneficiary', renewal_months = 24 WHERE care_domain = 'OPTI'`,
        [CEILING],
      ),
    );
    return population.holders.filter((h) => rightsCover(h.droits, 'OPTI'));
  });
}

/** A lot's invoices, the holders' in turn (each ceiling half-way at any point of the lot), each under an engagement of its own. */
async function lotFor(software: DemoSoftware, holders: readonly CardHolder[]): Promise<object[]> {
  const factures: object[] = [];
  for (let round = 0; round < PER_HOLDER; round += 1) {
    for (const holder of holders) {
      const checked = await software.call('POST', '/api/v1/rights/check', { amc: holder.amc, adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: holder.rang, dateSoins: TODAY, domaine: 'OPTI' });
      const engagement = (checked.json as { engagement?: { numero?: string } }).engagement?.numero;
      if (!engagement) throw new Error(`pas d’engagement : ${JSON.stringify(checked.json)}`);
      // An act per round: the same act again the same day would be a near duplicate, held rather than decided (held.test.ts).
      factures.push(invoice(`F${factures.length + 1}`, engagement, TODAY, [lens(15_000, 15_000, `LC${round}`)]));
    }
  }
  return factures;
}

async function send(software: DemoSoftware, lot: string, factures: object[]): Promise<InvoiceAnswer[]> {
  const reply = await software.call('POST', LOTS, { lot, factures });
  if (reply.status !== 200) throw new Error(`lot ${lot} : ${reply.status} ${JSON.stringify(reply.json)}`);
  return (reply.json as { factures: InvoiceAnswer[] }).factures;
}

type Decision = Pick<InvoiceAnswer, 'numeroFacture' | 'statut' | 'motif' | 'demande' | 'paye' | 'lignes'>;

/** What a decision says, whichever lot and run gave it (not the platform's number, nor whether it was a resend). */
const decision = (a: InvoiceAnswer): Decision => ({ numeroFacture: a.numeroFacture, statut: a.statut, motif: a.motif, demande: a.demande, paye: a.paye, lignes: a.lignes });

interface StoredRow {
  number: string;
  invoice_number: string;
  paid_cents: string;
  consumed: string;
}

/**
 * On a server, until the killed server's connections are gone: a COMMIT it sent just before
 * dying is still carried out by its backend, which must not land after the test has looked.
 */
async function serverSettled(place: Place): Promise<void> {
  if (!place.server) return;
  const t = place.server;
  for (let tries = 0; tries < 200; tries += 1) {
    const [left] = await asSuperuser(t, (su) => su.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND usename = $1', [SERVING_ROLE]));
    if (Number(left?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('connexions du serveur arrêté toujours ouvertes');
}

/** The lot's stored invoices, each with what its consumption sums to, and the consumption anywhere whose invoice does not exist. */
async function storedState(place: Place, lot: string): Promise<{ rows: StoredRow[]; orphans: number }> {
  return withHomeStore(place.home, place.server, (t) =>
    asSuperuser(t, async (su) => ({
      rows: await su.query<StoredRow>(
        `SELECT i.number, i.invoice_number, i.paid_cents::text,
                (SELECT coalesce(sum(m.amount_cents), 0) FROM ceiling_entry m WHERE m.insurer_id = i.insurer_id AND m.source = i.number AND m.kind = 'consumed')::text AS consumed
           FROM invoice i WHERE i.lot = $1 ORDER BY substr(i.invoice_number, 2)::integer`,
        [lot],
      ),
      orphans: Number((await su.query<{ n: string }>(
        `SELECT count(*) AS n FROM ceiling_entry m WHERE m.kind = 'consumed' AND NOT EXISTS (SELECT 1 FROM invoice i WHERE i.insurer_id = m.insurer_id AND i.number = m.source)`,
      ))[0]?.n),
    })),
  );
}

/** Each stored decision consumed exactly what it paid, nothing consumed without its decision; the decided are the lot's first ones (in order, one transaction each). */
function expectWhole(state: { rows: StoredRow[]; orphans: number }): void {
  expect(state.orphans).toBe(0);
  for (const row of state.rows) expect([row.invoice_number, row.consumed]).toEqual([row.invoice_number, row.paid_cents]);
  expect(state.rows.map((row) => row.invoice_number)).toEqual(state.rows.map((_, i) => `F${i + 1}`));
}

/**
 * A lot's length as a kill suggests it, `decided` of `total` invoices stored `atMs` after the
 * lot was sent (timings on a shared machine wander): the next kill aims inside the lot.
 */
function reestimate(lotMs: number, atMs: number, decided: number, total: number): number {
  if (decided === 0) return lotMs * 1.5;
  if (decided === total) return Math.min(lotMs, atMs) * 0.7;
  return (atMs * total) / decided;
}

/** Every access record of the crashed and restarted servers sequenced under their key, sealed, and the whole log verified. */
async function expectLogVerifies(place: Place, env: NodeJS.ProcessEnv): Promise<void> {
  await withHomeStore(place.home, place.server, async (t) => {
    const signer = AuditSigner.fromEnv(env, place.home);
    const records = Number((await t.db.transaction('platform', (tx) => tx.query<{ n: string }>('SELECT count(*) AS n FROM access_record'))).rows[0]?.n);
    await sequenceUntil(t.db, signer, records);
    const sealer = new AccessSealer(createSecretKey(Buffer.from(env.REMPART_ACCESS_SEAL_KEY ?? '', 'base64')));
    expect(await verifyAccessLog(t.db, new TrustedKeys([signer.publicKey]), { sealer })).toMatchObject({ ok: true, leaves: records, quarantined: 0, seals: 'checked' });
  });
}

describe('kill -9 during a lot’s adjudication, then the lot sent again', () => {
  const places: Place[] = [];
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.kill().catch(() => undefined);
    for (const place of places) await place.server?.drop();
  });

  it('decides every invoice exactly once, consumes each ceiling once, answers the resend as stored, and the access log still verifies', async () => {
    const masterKey = randomBytes(32);
    const place = await newPlace(masterKey);
    places.push(place);
    const holders = await prepare(place, masterKey);
    expect(holders.length).toBeGreaterThanOrEqual(HOLDERS * (KILLS + 1));
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env = { ...place.env, REMPART_PUBLIC_URL: origin };
    const start = async (): Promise<DemoSoftware> => {
      const server = await startServer(env, ['--port', String(port)]);
      servers.push(server);
      return connectDemoClient(place.home, origin, OPTICIAN_SOFTWARE);
    };

    // The clean run: what every crashed lot must end in, and a first guess of how long a lot takes.
    let software = await start();
    const reference = await lotFor(software, holders.slice(0, HOLDERS));
    const began = performance.now();
    const expected = (await send(software, 'L-ref', reference)).map(decision);
    let lotMs = performance.now() - began;
    const paidOf = (holder: number): number[] => expected.filter((_, i) => i % HOLDERS === holder).map((a) => a.paye);
    for (let h = 0; h < HOLDERS; h += 1) expect(paidOf(h)).toEqual([15_000, 15_000, CEILING - 30_000, 0]);

    const rng = seededRng('invoice-kill-points');
    const rounds: { lot: string; killed: { rows: StoredRow[]; orphans: number }; answers: InvoiceAnswer[] }[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      const lot = `L-kill-${kill}`;
      const factures = await lotFor(software, holders.slice(HOLDERS * (kill + 1), HOLDERS * (kill + 2)));
      // Each kill in its own stretch of the lot, at random within it.
      const sent = send(software, lot, factures).catch(() => undefined);
      const at = lotMs * ((kill + rng.int(10, 90) / 100) / KILLS);
      await new Promise((resolve) => setTimeout(resolve, at));
      await (servers.pop() as RunningServer).kill();
      await sent;
      await serverSettled(place);
      const killed = await storedState(place, lot);
      lotMs = reestimate(lotMs, at, killed.rows.length, factures.length);
      expectWhole(killed);
      software = await start();
      const answers = await send(software, lot, factures);
      expect(answers.map((a) => a.renvoi)).toEqual(factures.map((_, i) => i < killed.rows.length));
      expect(answers.map(decision)).toEqual(expected);
      rounds.push({ lot, killed, answers });
    }
    // The kills landed inside lots, not all before or after them (else this test proved nothing).
    const cut = rounds.map((round) => round.killed.rows.length);
    expect(cut.some((decided) => decided > 0 && decided < HOLDERS * PER_HOLDER), `décidées à chaque arrêt : ${cut.join(', ')}`).toBe(true);

    expect((await (servers.pop() as RunningServer).stop()).code).toBe(0);
    for (const { lot, killed, answers } of rounds) {
      const after = await storedState(place, lot);
      expectWhole(after);
      expect(after.rows.map((row) => [row.number, Number(row.paid_cents)])).toEqual(answers.map((a) => [a.numero, a.paye]));
      expect(after.rows.slice(0, killed.rows.length)).toEqual(killed.rows);
    }
    await expectLogVerifies(place, env);
  }, 180_000);
});
