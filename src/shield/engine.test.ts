import { describe, expect, it } from 'vitest';
import { defaultThresholds } from './config.js';
import type { Observation, Subject } from './engine.js';
import { nextWeekday, parisAt } from './test-support/days.js';
import { memoryShield, type MemorySink } from './test-support/memory-shield.js';
import { addDays } from '../domain/dates.js';

/** The next Tuesday, 10:00 in Paris. */
const TUESDAY = nextWeekday(2);
const TUESDAY_10H = parisAt(TUESDAY, 10);
const SECOND = 1000;
const MINUTE = 60 * SECOND;

function pharmacist(id: number, overrides: Partial<Subject> = {}): Subject {
  return { professionalId: id, siteId: 100 + id, clientId: `lgo-${id}`, profile: 'pharmacy', network: '192.0.2.0/24', device: `dpop:${id}`, session: null, ...overrides };
}

function covered(n: number): Observation {
  return { covered: true, beneficiary: `1:${n}`, insurerId: 1, queryKey: `q${n}`, honeytoken: false };
}

function miss(n: number): Observation {
  return { covered: false, beneficiary: null, insurerId: 1, queryKey: `miss${n}`, honeytoken: false };
}

describe('the shield, per account', () => {
  it('lets a pharmacy serve its patients at a human pace', async () => {
    const { shield, sink } = memoryShield();
    const subject = pharmacist(1);
    // 150 patients over a working day, one every 4 minutes, each calculated.
    for (let i = 0; i < 150; i++) {
      const now = TUESDAY_10H + i * 4 * MINUTE;
      const { verdict, pass } = await shield.gate(subject, now);
      expect(verdict.action).toBe('allow');
      await shield.observe(pass, covered(i), now);
      await shield.calculated(subject, `1:${i}`, now + MINUTE);
    }
    expect(sink.decisions).toEqual([]);
  });

  it('asks a scraper at full speed to prove presence within a minute, then suspends it; its neighbour keeps working', async () => {
    const { shield, sink } = memoryShield();
    const scraper = pharmacist(1);
    const neighbour = pharmacist(2);
    let disclosed = 0;
    let now = TUESDAY_10H;
    for (let i = 0; i < 200 && !sink.suspended.has(1); i++, now += 200) {
      const { verdict, pass } = await shield.gate(scraper, now);
      if (verdict.action === 'allow' || verdict.action === 'slow') {
        await shield.observe(pass, covered(i), now);
        disclosed++;
      }
    }
    expect(disclosed).toBeLessThanOrEqual(13);
    expect(sink.suspended.has(1)).toBe(true);
    expect(now - TUESDAY_10H).toBeLessThan(MINUTE);
    expect(sink.decisions.map((d) => d.action)).toEqual(['slow', 'step_up', 'suspend']);
    expect(sink.decisions[1]?.findings[0]).toMatchObject({ signal: 'minute', threshold: 12 });
    const { verdict } = await shield.gate(neighbour, now);
    expect(verdict.action).toBe('allow');
  });

  it('clears a step-up once the person proves presence, and grants the day it showed', async () => {
    const { shield, sink } = memoryShield();
    const busy = pharmacist(3);
    let now = TUESDAY_10H;
    for (let i = 0; i < 14; i++, now += 3 * SECOND) {
      const { pass } = await shield.gate(busy, now);
      await shield.observe(pass, covered(i), now);
    }
    expect((await shield.gate(busy, now)).verdict.action).toBe('step_up');
    await shield.presenceProved(3, now + SECOND);
    expect((await shield.gate(busy, now + 2 * SECOND)).verdict.action).not.toBe('step_up');
    expect(sink.decisions.at(-1)?.action).toBe('cleared');
  });

  /**
   * An account shared by its holder and a scraper: checks at full pace until the shield asks
   * for a step-up, which the holder, at the desk, then passes. One round per call.
   */
  function sharedAccount(id: number): { shield: ReturnType<typeof memoryShield>['shield']; sink: MemorySink; round: () => Promise<void> } {
    // The site's and the network's own pace caps aside (containment.test.ts): one account's step-ups here.
    const { shield, sink } = memoryShield({ ...defaultThresholds, siteMinuteFactor: 100, networkMinuteFactor: 100 });
    const shared = pharmacist(id, { clientId: null });
    let now = TUESDAY_10H;
    let patient = 0;
    const round = async (): Promise<void> => {
      while (!sink.suspended.has(id)) {
        const { verdict, pass } = await shield.gate(shared, now, { waited: true });
        if (verdict.action !== 'allow') break;
        await shield.observe(pass, covered(patient++), now);
        now += 2 * SECOND;
      }
      // The holder confirms at the desk a moment after being asked.
      now += SECOND;
      await shield.presenceProved(id, now);
      now += SECOND;
    };
    return { shield, sink, round };
  }

  it('suspends an account whose holder keeps proving presence while someone else keeps scraping alongside', async () => {
    const { sink, round } = sharedAccount(10);
    for (let i = 0; i < 3 && !sink.suspended.has(10); i++) await round();
    expect(sink.suspended.has(10)).toBe(true);
    expect(sink.decisions.filter((d) => d.action === 'step_up')).toHaveLength(2);
    expect(sink.decisions.at(-1)).toMatchObject({ action: 'suspend', cause: 'repeated_step_up' });
  });

  it('does not forgive a restored account its step-ups of the day: climbing again the same day suspends it again', async () => {
    const { shield, sink, round } = sharedAccount(11);
    for (let i = 0; i < 3 && !sink.suspended.has(11); i++) await round();
    expect(sink.suspended.has(11)).toBe(true);
    sink.suspended.delete(11);
    await shield.restored(11);
    await round();
    expect(sink.suspended.has(11)).toBe(true);
    expect(sink.decisions.at(-1)).toMatchObject({ action: 'suspend', cause: 'repeated_step_up' });
  });

  it('waits for the calculation’s grace before counting a check as never calculated', async () => {
    const { shield } = memoryShield();
    const subject = pharmacist(12);
    for (let i = 0; i < 10; i++) {
      const { pass } = await shield.gate(subject, TUESDAY_10H + i * SECOND);
      await shield.observe(pass, covered(i), TUESDAY_10H + i * SECOND);
    }
    expect((await shield.currentSignals(12, TUESDAY_10H + MINUTE)).unfollowedDay).toBe(0);
    for (let i = 0; i < 4; i++) await shield.calculated(subject, `1:${i}`, TUESDAY_10H + 5 * MINUTE);
    const afterGrace = TUESDAY_10H + (defaultThresholds.calculationGraceMinutes + 2) * MINUTE;
    expect((await shield.currentSignals(12, afterGrace)).unfollowedDay).toBe(6);
  });

  it('suspends at once an account that checks a honeytoken', async () => {
    const { shield, sink } = memoryShield();
    const { pass } = await shield.gate(pharmacist(4), TUESDAY_10H);
    await shield.observe(pass, { ...covered(1), honeytoken: true }, TUESDAY_10H);
    expect(sink.suspended.has(4)).toBe(true);
    expect(sink.decisions[0]).toMatchObject({ action: 'suspend', cause: 'honeytoken' });
  });

  it('asks for a step-up before anything when a session shows up from another network and device', async () => {
    const { shield, sink } = memoryShield();
    const session = { network: '192.0.2.0/24', device: 'Firefox', provedAtMs: TUESDAY_10H - 3600 * SECOND };
    expect((await shield.gate(pharmacist(5, { session, network: '192.0.2.0/24', device: 'Firefox' }), TUESDAY_10H)).verdict.action).toBe('allow');
    // Same browser from the mobile network: the pharmacist on the move, not a copied cookie.
    expect((await shield.gate(pharmacist(5, { session, network: '198.51.100.0/24', device: 'Firefox' }), TUESDAY_10H)).verdict.action).toBe('allow');
    const stolen = pharmacist(5, { session, network: '203.0.113.0/24', device: 'curl/8.5' });
    expect((await shield.gate(stolen, TUESDAY_10H + SECOND)).verdict.action).toBe('step_up');
    expect(sink.decisions[0]).toMatchObject({ action: 'step_up', cause: 'session_moved' });
  });

  it('closes an account unused for longer than the dormancy period', async () => {
    const { shield, sink, history } = memoryShield();
    // Last used two months past the dormancy period; the other, seven weeks ago.
    history.lastSeen.set(6, addDays(TUESDAY, -defaultThresholds.dormantDays - 63));
    history.lastSeen.set(7, addDays(TUESDAY, -47));
    expect((await shield.gate(pharmacist(6), TUESDAY_10H)).verdict.action).toBe('closed');
    expect(sink.decisions[0]).toMatchObject({ action: 'suspend', cause: 'dormant' });
    expect((await shield.gate(pharmacist(7), TUESDAY_10H)).verdict.action).toBe('allow');
  });

  it('asks when an account was last used once per day, not at every request', async () => {
    const { shield, history } = memoryShield();
    const asked: string[] = [];
    const touch = history.touch.bind(history);
    history.touch = (professionalId, day) => {
      asked.push(day);
      return touch(professionalId, day);
    };
    for (const at of [TUESDAY_10H, TUESDAY_10H + MINUTE, TUESDAY_10H + 2 * MINUTE]) await shield.release((await shield.gate(pharmacist(9), at)).pass);
    expect(asked).toEqual([TUESDAY]);
    await shield.release((await shield.gate(pharmacist(9), parisAt(addDays(TUESDAY, 1), 10))).pass);
    expect(asked).toEqual([TUESDAY, addDays(TUESDAY, 1)]);
  });

  it('asks an enumerator for a step-up after a handful of misses', async () => {
    const { shield, sink } = memoryShield();
    const enumerator = pharmacist(8);
    let now = TUESDAY_10H;
    let attempts = 0;
    while (attempts < 50) {
      const { verdict, pass } = await shield.gate(enumerator, now);
      if (verdict.action === 'step_up') break;
      await shield.observe(pass, miss(attempts), now);
      attempts++;
      now += 10 * SECOND;
    }
    expect(attempts).toBe(defaultThresholds.missFloor + 1);
    expect(sink.decisions.at(-1)).toMatchObject({ action: 'step_up', findings: [{ signal: 'missesHour' }] });
  });

  it('does nothing when turned off', async () => {
    const { shield: off, sink } = memoryShield(defaultThresholds, false);
    for (let i = 0; i < 100; i++) {
      const { verdict, pass } = await off.gate(pharmacist(9), TUESDAY_10H);
      expect(verdict.action).toBe('allow');
      await off.observe(pass, covered(i), TUESDAY_10H);
    }
    expect(sink.decisions).toEqual([]);
  });
});
