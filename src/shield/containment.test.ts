import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultThresholds } from './config.js';
import type { Observation, Shield, Subject } from './engine.js';
import { priors } from './profile.js';
import { RedisShieldStore } from './redis-store.js';
import { memoryShield } from './test-support/memory-shield.js';
import { redisTestsRun, testRedisUrl } from '../test-support/redis.js';

const SECOND = 1000;
const hasRedis = await redisTestsRun();
/** A working Tuesday at 10:00 in Paris, some weeks before the clock the code uses: the shield reads local hours, not dates. */
const TUESDAY_10H = ((): number => {
  const day = new Date(Date.now() - 21 * 86_400_000);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 5) % 7));
  return Date.parse(`${day.toISOString().slice(0, 10)}T09:00:00Z`);
})();

function hospital(id: number, overrides: Partial<Subject> = {}): Subject {
  return { professionalId: id, siteId: 900, clientId: 'lgo-hopital', profile: 'hospital', network: '192.0.2.0/24', device: 'dpop:hopital', session: null, ...overrides };
}

function covered(n: number): Observation {
  return { covered: true, beneficiary: `1:${n}`, insurerId: 1, queryKey: `q${n}`, honeytoken: false };
}

/** One rights check as the server runs it: admitted (after a pause if slowed), then observed. True when disclosed. */
async function check(shield: Shield, subject: Subject, patient: number, nowMs: number, onStepUp?: () => Promise<void>): Promise<boolean> {
  let { verdict, pass } = await shield.gate(subject, nowMs);
  if (verdict.action === 'slow') ({ verdict, pass } = await shield.gate(subject, nowMs + verdict.delayMs, { waited: true }));
  if (verdict.action === 'step_up' && onStepUp) await onStepUp();
  if (verdict.action !== 'allow') return false;
  // The answer is read while other requests are admitted.
  await new Promise((resolve) => setImmediate(resolve));
  await shield.observe(pass, covered(patient), nowMs);
  return true;
}

/** The attacks an independent test ran against the running platform (issue 15), each as the stolen account sees it. */
describe('containment a stolen account cannot talk its way around', () => {
  it('admits 200 parallel requests on a 20-a-minute account no further than its budget', async () => {
    const { shield } = memoryShield();
    const account = hospital(1, { clientId: null, device: 'Firefox' });
    const disclosed = await Promise.all(Array.from({ length: 200 }, (_, i) => check(shield, account, i, TUESDAY_10H)));
    const count = disclosed.filter(Boolean).length;
    expect(priors.hospital.minuteCap).toBe(20);
    // Before: every request read the state before any was counted, and 219 of 200-request bursts went through.
    expect(count).toBeLessThanOrEqual(25);
    expect(count).toBeGreaterThan(0);
  });

  it.runIf(hasRedis)('admits 200 parallel requests split across two instances sharing Redis no further than the budget', async () => {
    const namespace = `rempart-test:${randomUUID()}`;
    const probe = RedisShieldStore.connect(testRedisUrl, namespace);
    const instances = [0, 1].map(() => memoryShield(defaultThresholds, true, RedisShieldStore.connect(testRedisUrl, namespace)).shield);
    try {
      const account = hospital(1, { clientId: null, device: 'Firefox' });
      const disclosed = await Promise.all(Array.from({ length: 200 }, (_, i) => check(instances[i % 2] as Shield, account, i, TUESDAY_10H)));
      const count = disclosed.filter(Boolean).length;
      expect(count).toBeLessThanOrEqual(25);
      expect(count).toBeGreaterThan(0);
      // Every request answered or refused left its keys, well before entries lapse: only the probe is in flight.
      expect((await probe.enter({ account: 1, keys: ['p:1'], token: 'probe' }, TUESDAY_10H + SECOND)).inFlight).toEqual([1]);
    } finally {
      await Promise.all([...instances.map((shield) => shield.close()), probe.close()]);
    }
  });

  it('gives one stolen site key one budget for the site, whichever professional it names, and leaves the professionals usable', async () => {
    const { shield, sink } = memoryShield();
    let disclosed = 0;
    let now = TUESDAY_10H;
    // Twenty professionals of the hospital, each named in turn by the same software key, each far below its own cap.
    for (let i = 0; i < 2000 && !sink.suspendedClients.has('lgo-hopital'); i++, now += 100) {
      if (await check(shield, hospital(100 + (i % 20)), i, now)) disclosed++;
    }
    expect(sink.suspendedClients.has('lgo-hopital')).toBe(true);
    expect(disclosed).toBeLessThanOrEqual(50);
    expect(sink.suspended.size).toBe(0);
    // The same professional from their own session is served.
    expect(await check(shield, hospital(100, { clientId: null, device: 'Firefox' }), 5000, now + SECOND)).toBe(true);
  });

  it('suspends, during a platform alert the attacker opened on purpose, an account whose step-ups are answered by the attacker', async () => {
    const { shield, sink } = memoryShield();
    let now = TUESDAY_10H;
    // The decoy: one stolen key sends the same unknown card 211 times in a few minutes, beyond the platform's 200 misses an hour.
    const decoy = hospital(2, { clientId: null, profile: 'pharmacy', device: 'curl' });
    for (let i = 0; i <= defaultThresholds.platformMissFloor + 10; i++, now += 2 * SECOND) {
      const { verdict, pass } = await shield.gate(decoy, now, { waited: true });
      expect(verdict.action).toBe('allow');
      await shield.observe(pass, { covered: false, beneficiary: null, insurerId: 1, queryKey: 'same-card', honeytoken: false }, now);
    }
    expect(sink.alerts.some((a) => a.kind === 'platform')).toBe(true);
    // The scraper answers each step-up with a passkey of its own (what point 1 now forbids), and goes on.
    const scraper = hospital(3, { clientId: null, profile: 'physician', device: 'Firefox' });
    let disclosed = 0;
    for (let i = 0; i < 5000 && !sink.suspended.has(3); i++, now += 200) {
      const stepUp = async (): Promise<void> => shield.presenceProved(3, now + 1);
      if (await check(shield, scraper, 10_000 + i, now, stepUp)) disclosed++;
    }
    expect(sink.suspended.has(3)).toBe(true);
    expect(disclosed).toBeLessThanOrEqual(50);
  });

  it('paces a site and a network as a whole, whichever accounts they hold, and suspends nobody for it', async () => {
    const { shield, sink } = memoryShield();
    const t = defaultThresholds;
    const siteCap = priors.pharmacy.minuteCap * t.siteMinuteFactor;
    // Twenty stolen sessions of one pharmacy's staff, each far below its own cap.
    const staff = (i: number): Subject => hospital(200 + (i % 20), { clientId: null, profile: 'pharmacy', siteId: 901, network: '198.51.100.0/24', device: `Firefox ${i % 20}` });
    let disclosed = 0;
    for (let i = 0; i < 400; i++) if (await check(shield, staff(i), 20_000 + i, TUESDAY_10H + i * 100)) disclosed++;
    expect(disclosed).toBeLessThanOrEqual(siteCap);
    expect(sink.suspended.size).toBe(0);
    // Once the minute's bucket is out of the window, the site is served again.
    expect(await check(shield, staff(1), 30_000, TUESDAY_10H + 120 * SECOND)).toBe(true);
    // Fifty accounts of fifty sites behind one network: one network's pace.
    const networkCap = priors.pharmacy.minuteCap * t.networkMinuteFactor;
    const crowd = (i: number): Subject => hospital(300 + (i % 50), { clientId: null, profile: 'pharmacy', siteId: 1000 + (i % 50), network: '203.0.113.0/24', device: `Edge ${i % 50}` });
    let crowded = 0;
    for (let i = 0; i < 1000; i++) if (await check(shield, crowd(i), 40_000 + i, TUESDAY_10H + 4 * 60 * SECOND + i * 50)) crowded++;
    expect(crowded).toBeLessThanOrEqual(networkCap);
    expect(sink.suspended.size).toBe(0);
  });
});
