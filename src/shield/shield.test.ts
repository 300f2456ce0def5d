import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPeople } from '../access/people/dev-people.js';
import { TEST_ORIGIN, testAccess, testVault } from '../access/test-support/access.js';
import { professionalRef, sessionHeader } from '../access/test-support/client.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { buildServer } from '../app/server.js';
import { plantHoneytokens, type HoneytokenCard } from '../registry/honeytokens/plant.js';
import { loadPopulation, type CardHolder, type Practitioner, type Population } from '../rights/test-support/population.js';
import { rightsCover } from '../synthetic/read-back.js';
import { redisTestsRun, testRedisUrl } from '../test-support/redis.js';
import { todayUtc } from '../domain/dates.js';
import { defaultThresholds } from './config.js';

/** Working hours: the last Tuesday, 9:00 UTC (10:00 or 11:00 in Paris); off hours are a signal of their own. */
const TUESDAY = ((): Date => {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 5) % 7));
  return new Date(`${day.toISOString().slice(0, 10)}T09:00:00Z`);
})();
const CARE_DAY = todayUtc(TUESDAY);
const clock = { now: TUESDAY };
const hasRedis = await redisTestsRun();

/**
 * The shield on the real server: a scraper is stopped within a minute cap's worth of
 * records, its suspension cuts its session, and every other pharmacist keeps working
 * (THREATS.md points 5 and 11) — on one instance, and on two sharing Redis.
 */
describe('the shield contains one account, not the platform', () => {
  let t: TestDatabase;
  let population: Population;
  let pharmacists: Practitioner[];
  let patients: CardHolder[];
  let honeytoken: HoneytokenCard;
  const vault = testVault();
  const apps: FastifyInstance[] = [];

  async function platform(env: NodeJS.ProcessEnv = {}): Promise<FastifyInstance> {
    const app = await buildServer({ vault, services: await testAccess(t.db, clock, defaultThresholds, env), people: await devPeople(t.db, TEST_ORIGIN) });
    apps.push(app);
    return app;
  }

  async function check(app: FastifyInstance, who: Practitioner, card: CardHolder | HoneytokenCard, cookie: { cookie: string }): Promise<LightMyRequestResponse> {
    const payload = { structure: who.structure, amc: card.amc, adherent: card.adherent, nir: card.nir, naissance: card.naissance, rang: card.rang, dateSoins: CARE_DAY, domaine: 'PHAR' };
    return app.inject({ method: 'POST', url: '/api/v1/rights/check', headers: { ...cookie, 'user-agent': 'lightMyRequest' }, payload });
  }

  /** Checks patients one after the other, as fast as the server answers, until refused. */
  async function scrape(instances: FastifyInstance[], who: Practitioner): Promise<{ disclosed: number; refusal: LightMyRequestResponse | undefined }> {
    const cookie = await sessionHeader(t.db, await professionalRef(t.db, who.rpps), TUESDAY);
    let disclosed = 0;
    for (const [i, patient] of patients.entries()) {
      const response = await check(instances[i % instances.length] as FastifyInstance, who, patient, cookie);
      if (response.statusCode !== 200) return { disclosed, refusal: response };
      if (response.json<{ couvert: boolean }>().couvert) disclosed++;
    }
    return { disclosed, refusal: undefined };
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    // Extracted on that Tuesday: in the first days of January, it lies in last year's rights.
    population = await loadPopulation(t.db, vault, 'rights-tests', CARE_DAY);
    pharmacists = population.practitioners.filter((p) => p.profession === '21');
    patients = population.holders.filter((h) => rightsCover(h.droits, 'PHAR', CARE_DAY));
    const amc = patients[0]?.amc ?? '';
    const planted = await plantHoneytokens(t.db, vault, { amcNumber: amc, count: 1, now: TUESDAY });
    honeytoken = planted.planted[0]?.card as HoneytokenCard;
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await t.drop();
  });

  it('has enough pharmacists and patients to tell', () => {
    expect(pharmacists.length).toBeGreaterThanOrEqual(7);
    expect(patients.length).toBeGreaterThan(40);
  });

  it('asks a scraper for a step-up after its minute cap, suspends it when it insists, and serves its colleague meanwhile', async () => {
    const app = await platform();
    const [scraper, colleague] = pharmacists as [Practitioner, Practitioner];
    const { disclosed, refusal } = await scrape([app], scraper);
    // A pharmacy's cap is 12 distinct patients a minute: the 13th would cross it and is refused before anything is read.
    expect(disclosed).toBe(12);
    expect(refusal?.statusCode).toBe(401);
    expect(refusal?.json()).toMatchObject({ code: 'SHIELD_STEP_UP_REQUIRED' });
    const cookie = await sessionHeader(t.db, await professionalRef(t.db, scraper.rpps), TUESDAY);
    const refusals = [];
    for (let i = 0; i < defaultThresholds.refusedBeforeSuspension + 1; i++) refusals.push((await check(app, scraper, patients[0] as CardHolder, cookie)).json<{ code: string }>().code);
    // The scrape's last answer was the first refusal; the twentieth suspends.
    const last = defaultThresholds.refusedBeforeSuspension - 2;
    expect(new Set(refusals.slice(0, last))).toEqual(new Set(['SHIELD_STEP_UP_REQUIRED']));
    expect(refusals[last]).toBe('SHIELD_ACCOUNT_CLOSED');
    // Suspended: its sessions are revoked, so even the access layer turns it away now.
    expect(refusals.at(-1)).toBe('AUTH_REQUIRED');
    const colleagueCookie = await sessionHeader(t.db, await professionalRef(t.db, colleague.rpps), TUESDAY);
    expect((await check(app, colleague, patients[0] as CardHolder, colleagueCookie)).json()).toMatchObject({ couvert: true });
    const decisions = await t.db.transaction('platform', (tx) =>
      tx.query<{ action: string; cause: string }>('SELECT d.action, d.cause FROM shield_decision d JOIN professional p ON p.id = d.professional_id WHERE p.rpps = $1 ORDER BY d.id', [scraper.rpps]),
    );
    expect(decisions.rows.map((d) => `${d.action}/${d.cause}`)).toEqual(['slow/signals', 'step_up/signals', 'suspend/refused_step_up']);
    const suspension = await t.db.transaction('platform', (tx) =>
      tx.query('SELECT 1 FROM account_suspension s JOIN professional p ON p.id = s.professional_id WHERE p.rpps = $1 AND s.lifted_at IS NULL', [scraper.rpps]),
    );
    expect(suspension.rows).toHaveLength(1);
  });

  it('admits 200 parallel requests of one account no further than its minute budget, the others answered 429 or 401', async () => {
    const app = await platform();
    const burst = pharmacists[1] as Practitioner;
    const cookie = await sessionHeader(t.db, await professionalRef(t.db, burst.rpps), TUESDAY);
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => check(app, burst, patients[i % patients.length] as CardHolder, cookie)));
    const disclosed = responses.filter((r) => r.statusCode === 200).length;
    // A pharmacy's cap is 12 distinct patients a minute; before, the burst read the state before any request was counted.
    expect(disclosed).toBeGreaterThan(0);
    expect(disclosed).toBeLessThanOrEqual(12);
    const codes = new Set(responses.filter((r) => r.statusCode !== 200).map((r) => r.json<{ code: string }>().code));
    expect([...codes].every((code) => ['SHIELD_SLOW_DOWN', 'SHIELD_STEP_UP_REQUIRED', 'SHIELD_ACCOUNT_CLOSED', 'AUTH_REQUIRED'].includes(code))).toBe(true);
  });

  it('forgets nothing on a restart of the embedded default: a pending step-up and the minute already spent are read back', async () => {
    const scraper = pharmacists[4] as Practitioner;
    const { disclosed } = await scrape([await platform()], scraper);
    expect(disclosed).toBe(12);
    // A new instance on the same store: before, its shield started from nothing and the scraper had a fresh minute.
    const restarted = await platform();
    const cookie = await sessionHeader(t.db, await professionalRef(t.db, scraper.rpps), TUESDAY);
    expect((await check(restarted, scraper, patients[20] as CardHolder, cookie)).json()).toMatchObject({ code: 'SHIELD_STEP_UP_REQUIRED' });
    // Its neighbour, never seen before the restart, is served; its minute is counted from the log, not from zero.
    const neighbour = pharmacists[5] as Practitioner;
    const { disclosed: before } = await scrape([restarted], neighbour);
    expect(before).toBe(12);
    const again = await platform();
    const { disclosed: after } = await scrape([again], neighbour);
    expect(after).toBe(0);
  });

  it('lets a stolen cookie neither enrol its own passkey nor read more than a minute cap before it is stopped for good', async () => {
    const app = await platform();
    const victim = pharmacists[6] as Practitioner;
    // The cookie as an infostealer copies it: a session whose last proof is 395 seconds old.
    const cookie = await sessionHeader(t.db, await professionalRef(t.db, victim.rpps), new Date(TUESDAY.getTime() - 395_000));
    const enrol = await app.inject({ method: 'POST', url: '/auth/passkey/register/options', headers: { ...cookie, 'user-agent': 'lightMyRequest' } });
    expect(enrol.json()).toMatchObject({ code: 'AUTH_FRESH_PROOF_REQUIRED' });
    const { disclosed, refusal } = await scrape([app], victim);
    expect(disclosed).toBeLessThanOrEqual(15);
    expect(refusal?.json()).toMatchObject({ code: 'SHIELD_STEP_UP_REQUIRED' });
    // It cannot answer the step-up: it has no passkey; insisting suspends the account.
    const codes = [];
    for (let i = 0; i <= defaultThresholds.refusedBeforeSuspension; i++) codes.push((await check(app, victim, patients[0] as CardHolder, cookie)).json<{ code: string }>().code);
    expect(codes.at(-1)).toBe('AUTH_REQUIRED');
  });

  it('suspends at once whoever presents a honeytoken', async () => {
    const app = await platform();
    const enumerator = pharmacists[2] as Practitioner;
    const cookie = await sessionHeader(t.db, await professionalRef(t.db, enumerator.rpps), TUESDAY);
    expect((await check(app, enumerator, honeytoken, cookie)).statusCode).toBe(200);
    expect((await check(app, enumerator, patients[0] as CardHolder, cookie)).json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    const alerts = await t.db.transaction('platform', (tx) => tx.query<{ kind: string }>("SELECT kind FROM shield_alert WHERE summary LIKE '%leurre%'"));
    expect(alerts.rows).toHaveLength(1);
  });

  it.runIf(hasRedis)('catches a scraper whose requests are split across two instances sharing Redis', async () => {
    const env = { REDIS_URL: testRedisUrl, REMPART_SHIELD_NAMESPACE: `rempart-test:${randomUUID()}` };
    const instances = [await platform(env), await platform(env)];
    const { disclosed, refusal } = await scrape(instances, pharmacists[3] as Practitioner);
    // Each instance alone would have let 12 through; together they let 12 through, not 24.
    expect(disclosed).toBe(12);
    expect(refusal?.json()).toMatchObject({ code: 'SHIELD_STEP_UP_REQUIRED' });
  });
});
