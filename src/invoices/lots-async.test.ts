import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { suspendAccount } from '../access/suspensions.js';
import { professionalRef, sessionHeader } from '../access/test-support/client.js';
import { today } from '../clock.js';
import { opticsHolders, withOpticsCast } from '../claims/test-support/optics-cast.js';
import type { TestDatabase } from '../db/test-support/test-database.js';
import { addDays, HOUR_MS } from '../domain/dates.js';
import type { Practitioner } from '../rights/test-support/population.js';
import { LocalMasterKey, Vault } from '../vault/index.js';
import { claimLot, keptLot, renewLease } from './lot-queue.js';
import { rewrapLotSeals } from './lot-rewrap.js';
import { ANSWER_DAYS, LEASE_MS, MAX_ATTEMPTS } from './lot-worker.js';
import { getLot, invoice, ledger, lens, postLotAsync, sendLot, type LotAnswer } from './test-support/invoices.js';

const TODAY = today();
/** A lot's name may hold a slash: its Location escapes it. */
const ASYNC = 'L2026/async.1';
const CEILING = 40_000;

describe('lots acknowledged at once (Prefer: respond-async), decided after by a worker', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let optician: Practitioner;
  let elsewhere: Practitioner;

  // No worker of its own in this server: each test plays the worker's passes, on the clock it chooses.
  // Its master key is the test's, which rotates it.
  const masterKey = new LocalMasterKey(randomBytes(32));
  const cast = withOpticsCast({ lotWorker: false, vault: new Vault(masterKey) });
  const { nextHolder, engagedFor } = opticsHolders(cast, CEILING, TODAY);

  beforeAll(() => {
    ({ t, app, optician, elsewhere } = cast());
  });

  const status = async (lot: string, who = optician): Promise<LotAnswer> => (await getLot(t.db, app, who, lot)).json<LotAnswer>();
  const kept = async (lot: string): Promise<{ row: string; status: string; attempts: number }[]> =>
    (await t.db.query<{ row: string; status: string; attempts: number }>('SELECT l::text AS row, status, attempts FROM invoice_lot l WHERE lot = $1', [lot])).rows;

  it('acknowledges a lot with 202 and where to follow it, keeps nothing in clear, then decides it as the synchronous path does', async () => {
    const holder = nextHolder();
    const [e1, e2] = [await engagedFor(holder), await engagedFor(holder)];
    const body = { lot: ASYNC, factures: [invoice('F1', e1?.number ?? '', TODAY, [lens(15_000, 15_000, 'LC1')]), invoice('F2', e2?.number ?? '', TODAY, [lens(30_000, 30_000, 'LC2')])] };
    const response = await postLotAsync(t.db, app, optician, body);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.headers['preference-applied']).toBe('respond-async');
    const ack = response.json<LotAnswer>();
    expect(ack).toMatchObject({ lot: ASYNC, nombreFactures: 2, statut: 'accepte', suivi: response.headers.location });
    const followed = await app.inject({ method: 'GET', url: String(response.headers.location), headers: await sessionHeader(t.db, await professionalRef(t.db, optician.rpps)) });
    expect(followed.json()).toMatchObject({ lot: ASYNC, statut: 'accepte', recuLe: ack.recuLe });
    expect(await ledger(t, e1 as never, 'OPTI')).toEqual({});
    // The row as a dump shows it: neither the card nor the engagements nor the acts.
    const [waiting] = await kept(ASYNC);
    for (const secret of [holder.nir, e1?.number, e2?.number, 'LC1']) expect(waiting?.row).not.toContain(secret);

    expect(await app.invoiceLots.pass()).toBe(true);
    expect(await app.invoiceLots.pass()).toBe(false);
    const decided = await status(ASYNC);
    expect(decided).toMatchObject({ statut: 'traite', nombreFactures: 2 });
    expect(decided.factures?.map((f) => [f.numeroFacture, f.statut, f.paye, f.renvoi])).toEqual([['F1', 'payee', 15_000, false], ['F2', 'payee_partiellement', 25_000, false]]);
    expect(await ledger(t, e1 as never, 'OPTI')).toEqual({ consumed: CEILING });
    const [done] = await kept(ASYNC);
    for (const secret of [holder.nir, e1?.number, 'LC1']) expect(done?.row).not.toContain(secret);
    // The same lot sent synchronously: the stored decisions, the very answers the worker gave.
    const sync = await sendLot(t.db, app, optician, ASYNC, body.factures);
    expect(sync).toEqual(decided.factures?.map((f) => ({ ...f, renvoi: true })));
    // An answer that no longer opens (a master key rotated since, a byte altered) is left out, not a 500.
    await t.db.query('UPDATE invoice_lot SET sealed = set_byte(sealed, length(sealed) - 1, get_byte(sealed, length(sealed) - 1) # 1) WHERE lot = $1', [ASYNC]);
    const unreadable = await getLot(t.db, app, optician, ASYNC);
    expect([unreadable.statusCode, unreadable.json<LotAnswer>().statut, unreadable.json<LotAnswer>().factures]).toEqual([200, 'traite', undefined]);
  });

  it('refuses a malformed lot whole with the synchronous codes and keeps nothing', async () => {
    const e = await engagedFor(nextHolder());
    const good = invoice('F1', e.number, TODAY, [lens(15_000)]);
    const cases: [object, number, string][] = [
      [{ lot: 'L-bad', factures: [good, good] }, 422, 'INVOICE_LOT_DUPLICATE'],
      [{ lot: 'L-bad', factures: [invoice('F1', e.number, addDays(TODAY, 1), [lens(15_000)])] }, 422, 'INVOICE_CARE_DATE'],
      [{ lot: 'L-bad', factures: [] }, 400, 'FIELD_INVALID'],
    ];
    for (const [body, code, error] of cases) {
      const response = await postLotAsync(t.db, app, optician, body);
      expect([response.statusCode, response.json<{ code: string }>().code]).toEqual([code, error]);
    }
    expect(await kept('L-bad')).toEqual([]);
    expect((await getLot(t.db, app, optician, 'L-bad')).json()).toMatchObject({ code: 'INVOICE_LOT_UNKNOWN' });
  });

  it('answers a resent lot with the same acknowledgement, refuses its name with other invoices, and shows it to its own site only', async () => {
    const e = await engagedFor(nextHolder());
    const body = { lot: 'L-again', factures: [invoice('F1', e.number, TODAY, [lens(15_000)])] };
    const first = await postLotAsync(t.db, app, optician, body);
    const again = await postLotAsync(t.db, app, optician, { ...body, factures: [...body.factures].reverse() });
    expect([again.statusCode, again.json()]).toEqual([202, first.json()]);
    const other = await postLotAsync(t.db, app, optician, { ...body, factures: [invoice('F1', e.number, TODAY, [lens(15_000, 14_000)])] });
    expect([other.statusCode, other.json<{ code: string }>().code]).toEqual([409, 'INVOICE_LOT_REUSED']);
    const theirs = await getLot(t.db, app, elsewhere, 'L-again');
    expect([theirs.statusCode, theirs.json<{ code: string }>().code]).toEqual([404, 'INVOICE_LOT_UNKNOWN']);
    // Woken, the worker drains what waits, as a lot's intake wakes it on a server that runs it.
    app.invoiceLots.wake();
    await vi.waitFor(async () => expect(await status('L-again')).toMatchObject({ statut: 'traite' }));
    expect((await postLotAsync(t.db, app, optician, body)).json()).toEqual(first.json());
    expect(await kept('L-again')).toHaveLength(1);
  });

  it('takes again a lot whose worker died mid-lot once its lease has run out, and decides each invoice once', async () => {
    const holder = nextHolder();
    const [e1, e2] = [await engagedFor(holder), await engagedFor(holder)];
    const factures = [invoice('F1', e1?.number ?? '', TODAY, [lens(15_000, 15_000, 'LC1')]), invoice('F2', e2?.number ?? '', TODAY, [lens(15_000, 15_000, 'LC2')])];
    expect((await postLotAsync(t.db, app, optician, { lot: 'L-crash', factures })).statusCode).toBe(202);
    // An instance claims it, decides F1 (its own transaction, committed), and dies before F2.
    const claimedAt = new Date();
    await t.db.query("UPDATE invoice_lot SET status = 'running', lease_until = $2, attempts = 1 WHERE lot = $1", ['L-crash', new Date(claimedAt.getTime() + LEASE_MS)]);
    await sendLot(t.db, app, optician, 'L-crash', factures.slice(0, 1));
    expect(await status('L-crash')).toMatchObject({ statut: 'en_cours' });

    expect(await app.invoiceLots.pass(new Date(claimedAt.getTime() + LEASE_MS - 1_000))).toBe(false);
    expect(await app.invoiceLots.pass(new Date(claimedAt.getTime() + LEASE_MS + 1_000))).toBe(true);
    const decided = await status('L-crash');
    expect(decided.factures?.map((f) => [f.numeroFacture, f.statut, f.renvoi])).toEqual([['F1', 'payee', true], ['F2', 'payee', false]]);
    expect(await ledger(t, e1 as never, 'OPTI')).toEqual({ consumed: 30_000 });
    expect(await app.invoiceLots.pass(new Date(claimedAt.getTime() + 3 * LEASE_MS))).toBe(false);
  });

  it(`stops a lot claimed ${MAX_ATTEMPTS} times without an end, rather than take it for ever`, async () => {
    const e = await engagedFor(nextHolder());
    expect((await postLotAsync(t.db, app, optician, { lot: 'L-doomed', factures: [invoice('F1', e.number, TODAY, [lens(15_000)])] })).statusCode).toBe(202);
    const lapsed = new Date();
    await t.db.query("UPDATE invoice_lot SET status = 'running', lease_until = $2, attempts = $3 WHERE lot = $1", ['L-doomed', lapsed, MAX_ATTEMPTS]);
    expect(await app.invoiceLots.pass(new Date(lapsed.getTime() + 1_000))).toBe(true);
    expect(await status('L-doomed')).toMatchObject({ statut: 'arrete', code: 'INVOICE_LOT_ABANDONED' });
    expect(await kept('L-doomed')).toMatchObject([{ status: 'stopped' }]);
    expect(await ledger(t, e, 'OPTI')).toEqual({});
  });

  it('keeps a lot it is deciding: its claim renewed, no other pass takes it until the renewed lease runs out too', async () => {
    const e = await engagedFor(nextHolder());
    expect((await postLotAsync(t.db, app, optician, { lot: 'L-slow', factures: [invoice('F1', e.number, TODAY, [lens(15_000)])] })).statusCode).toBe(202);
    const claimedAt = new Date();
    await t.db.query("UPDATE invoice_lot SET status = 'running', lease_until = $2, attempts = 1 WHERE lot = $1", ['L-slow', new Date(claimedAt.getTime() + LEASE_MS)]);
    const [row] = (await t.db.query<{ site_id: string }>('SELECT site_id FROM invoice_lot WHERE lot = $1', ['L-slow'])).rows;
    const held = { siteId: Number(row?.site_id), lot: 'L-slow', attempt: 1 };
    const renewedAt = new Date(claimedAt.getTime() + LEASE_MS - 1_000);
    expect(await renewLease(t.db, held, renewedAt, LEASE_MS)).toBe(true);
    // Past the first lease, within the renewed one: still the first attempt's.
    expect(await app.invoiceLots.pass(new Date(claimedAt.getTime() + LEASE_MS + 1_000))).toBe(false);
    expect(await app.invoiceLots.pass(new Date(renewedAt.getTime() + LEASE_MS + 1_000))).toBe(true);
    // Taken again and decided by attempt 2: the first attempt, outlived, holds nothing to renew.
    expect(await renewLease(t.db, held, new Date(renewedAt.getTime() + LEASE_MS + 2_000), LEASE_MS)).toBe(false);
    expect(await status('L-slow')).toMatchObject({ statut: 'traite' });
    expect(await kept('L-slow')).toMatchObject([{ status: 'done', attempts: 2 }]);
  });

  it('decides each lot once when passes race for them (SKIP LOCKED): every lot claimed by one pass only', async () => {
    const names = ['L-race-1', 'L-race-2', 'L-race-3', 'L-race-4'];
    for (const lot of names) {
      const e = await engagedFor(nextHolder());
      expect((await postLotAsync(t.db, app, optician, { lot, factures: [invoice('F1', e.number, TODAY, [lens(15_000)])] })).statusCode).toBe(202);
    }
    const passes = await Promise.all(Array.from({ length: 6 }, () => app.invoiceLots.pass()));
    expect(passes.filter(Boolean)).toHaveLength(names.length);
    for (const lot of names) {
      expect(await kept(lot)).toMatchObject([{ status: 'done', attempts: 1 }]);
      expect((await status(lot)).factures?.map((f) => [f.statut, f.renvoi])).toEqual([['payee', false]]);
    }
  });

  it(`forgets a decided lot's answer after ${ANSWER_DAYS} days, once an hour at most: the lot stays decided, a recent one keeps its answer`, async () => {
    for (const lot of ['L-old', 'L-recent']) {
      const e = await engagedFor(nextHolder());
      expect((await postLotAsync(t.db, app, optician, { lot, factures: [invoice('F1', e.number, TODAY, [lens(15_000)])] })).statusCode).toBe(202);
      expect(await app.invoiceLots.pass()).toBe(true);
    }
    await t.db.query('UPDATE invoice_lot SET decided_at = decided_at - make_interval(days => $2) WHERE lot = $1', ['L-old', ANSWER_DAYS + 1]);
    expect(await app.invoiceLots.pass(new Date(Date.now() + 2 * HOUR_MS))).toBe(false);
    const old = await status('L-old');
    expect([old.statut, old.factures]).toEqual(['traite', undefined]);
    expect((await status('L-recent')).factures?.map((f) => f.statut)).toEqual(['payee']);
    const sealed = await t.db.query<{ lot: string; kept: boolean }>("SELECT lot, sealed IS NOT NULL AS kept FROM invoice_lot WHERE lot IN ('L-old', 'L-recent') ORDER BY lot");
    expect(sealed.rows).toEqual([{ lot: 'L-old', kept: false }, { lot: 'L-recent', kept: true }]);
  });

  it('keeps every lot readable across a master-key rotation, and stops, without holding up the queue, a lot no key here opens', async () => {
    for (const lot of ['L-rot-done', 'L-rot-waiting']) {
      const e = await engagedFor(nextHolder());
      expect((await postLotAsync(t.db, app, optician, { lot, factures: [invoice('F1', e.number, TODAY, [lens(15_000)])] })).statusCode).toBe(202);
      if (lot === 'L-rot-done') expect(await app.invoiceLots.pass()).toBe(true);
    }
    const answered = (await status('L-rot-done')).factures;
    const next = new LocalMasterKey(randomBytes(32));
    const rotated = await rewrapLotSeals(t.db, masterKey, next);
    // Every seal kept, the answer a test above altered too: only its key is rewrapped, and its
    // ciphertext still fails its check when opened.
    expect(rotated).toMatchObject({ rewrapped: rotated.sealed, unreadable: 0 });
    expect(rotated.sealed).toBeGreaterThanOrEqual(2);
    expect(await rewrapLotSeals(t.db, masterKey, next)).toEqual({ ...rotated, rewrapped: 0 });
    // An instance on the new key reads the decided lot's answer and the waiting lot.
    const [row] = (await t.db.query<{ site_id: string }>('SELECT site_id FROM invoice_lot WHERE lot = $1', ['L-rot-done'])).rows;
    const siteId = Number(row?.site_id);
    expect((await keptLot(t.db, new Vault(next), siteId, 'L-rot-done')).answers).toEqual(answered);
    const start = Date.now();
    const taken = await claimLot(t.db, new Vault(next), new Date(start), LEASE_MS);
    expect(taken).toMatchObject({ lot: 'L-rot-waiting', attempt: 1, pending: { body: { lot: 'L-rot-waiting' } } });
    // That instance dies with it. This server, still on the old key, opens it no more: it
    // decides the lots behind it, leaves it claimed at each lease's end, and stops it once
    // claimed too often, as it stops any lot without an end.
    const e = await engagedFor(nextHolder());
    expect((await postLotAsync(t.db, app, optician, { lot: 'L-rot-after', factures: [invoice('F1', e.number, TODAY, [lens(15_000)])] })).statusCode).toBe(202);
    expect(await app.invoiceLots.pass(new Date(start))).toBe(true);
    expect((await status('L-rot-after')).factures?.map((f) => f.statut)).toEqual(['payee']);
    const leaseEnd = (n: number): Date => new Date(start + n * (LEASE_MS + 1_000));
    expect(await app.invoiceLots.pass(leaseEnd(1))).toBe(true);
    expect(await kept('L-rot-waiting')).toMatchObject([{ status: 'running', attempts: 2 }]);
    for (let n = 2; n <= MAX_ATTEMPTS; n++) expect(await app.invoiceLots.pass(leaseEnd(n))).toBe(true);
    expect(await status('L-rot-waiting')).toMatchObject({ statut: 'arrete', code: 'INVOICE_LOT_ABANDONED' });
  });

  // Last: the optician's account stays suspended.
  it('stops, with its code, a lot whose caller was suspended since its intake, and decides nothing of it', async () => {
    const e = await engagedFor(nextHolder());
    expect((await postLotAsync(t.db, app, optician, { lot: 'L-suspended', factures: [invoice('F1', e.number, TODAY, [lens(15_000)])] })).statusCode).toBe(202);
    await suspendAccount(t.db, { rpps: optician.rpps }, 'compte volé', 'test', new Date());
    expect(await app.invoiceLots.pass()).toBe(true);
    const stopped = (await t.db.query<{ status: string; stopped_code: string; sealed: unknown }>('SELECT status, stopped_code, sealed FROM invoice_lot WHERE lot = $1', ['L-suspended'])).rows;
    expect(stopped).toEqual([{ status: 'stopped', stopped_code: 'SHIELD_ACCOUNT_CLOSED', sealed: null }]);
    expect(await ledger(t, e, 'OPTI')).toEqual({});
  });
});
