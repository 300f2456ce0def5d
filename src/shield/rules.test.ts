import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learnBaseline, priorBaseline, type DaySummary } from './baseline.js';
import { defaultThresholds } from './config.js';
import { profiles, priors } from './profile.js';
import { assess, guardedSignals, thresholdsFor, type RuleContext, type Signals } from './rules.js';
import { nextWeekday } from './test-support/days.js';
import { today } from '../clock.js';
import { addDays } from '../domain/dates.js';

const count = fc.integer({ min: 0, max: 2000 });
const margin = (expected: number): number => expected + 3 * Math.sqrt(expected);
const signals: fc.Arbitrary<Signals> = fc.record({ minute: count, hour: count, day: count, missesHour: count, unfollowedDay: count, offHoursDay: count, insurersDay: count, networksDay: count, devicesDay: count });
const context: fc.Arbitrary<RuleContext> = fc.record({
  profile: fc.constantFrom(...profiles),
  weekday: fc.integer({ min: 0, max: 6 }),
  surge: fc.double({ min: 1, max: 3, noNaN: true }),
  tightened: fc.boolean(),
  raised: fc.dictionary(fc.constantFrom(...guardedSignals), fc.integer({ min: 0, max: 1000 })),
}).chain((c) => fc.constant({ ...c, baseline: priorBaseline(c.profile) }));

const days: fc.Arbitrary<DaySummary[]> = fc.array(
  fc.record({ day: fc.integer({ min: 1, max: 28 }).map((d) => addDays(today(), -d)), weekday: fc.integer({ min: 0, max: 6 }), distinct: count, misses: count, unfollowed: count, offHours: count }),
  { maxLength: 28 },
);

describe('the shield’s rules', () => {
  it('never escalate less when a signal grows (the day aside: the checks left without a calculation are weighed against it)', () => {
    const others = guardedSignals.filter((g) => g !== 'day');
    fc.assert(fc.property(signals, context, fc.constantFrom(...others), fc.integer({ min: 1, max: 500 }), (s, c, grown, by) => {
      const before = assess(s, c, defaultThresholds);
      const after = assess({ ...s, [grown]: s[grown] + by }, c, defaultThresholds);
      for (const f of before.stepUp) expect(after.stepUp.map((x) => x.signal)).toContain(f.signal);
      for (const f of before.elevated) expect(after.elevated.map((x) => x.signal)).toContain(f.signal);
      for (const f of before.above) expect(after.above.map((x) => x.signal)).toContain(f.signal);
    }));
  });

  it('count an account above its usual well before it is near its thresholds, whatever a platform alert tightened', () => {
    fc.assert(fc.property(signals, context, (s, c) => {
      const own = thresholdsFor({ ...c, tightened: false }, defaultThresholds, s.day).hour;
      const assessment = assess(s, c, defaultThresholds);
      expect(assessment.above.length > 0).toBe(s.hour > defaultThresholds.aboveUsualAt * own);
      if (assessment.elevated.some((f) => f.signal === 'hour')) expect(assessment.above.map((f) => f.signal)).toContain('hour');
    }));
  });

  it('tighten the volumes of accounts involved in a platform alert, never a human’s pace per minute, nor misses', () => {
    fc.assert(fc.property(context, count, (c, day) => {
      const normal = thresholdsFor({ ...c, tightened: false, raised: {} }, defaultThresholds, day);
      const tightened = thresholdsFor({ ...c, tightened: true, raised: {} }, defaultThresholds, day);
      expect(tightened.minute).toBe(normal.minute);
      expect(tightened.missesHour).toBe(normal.missesHour);
      for (const signal of ['hour', 'day', 'unfollowedDay'] as const) expect(tightened[signal]).toBeLessThan(normal[signal]);
    }));
  });

  it('tighten no threshold beyond its own, and an epidemic never tightens one', () => {
    fc.assert(fc.property(context, fc.double({ min: 1, max: 3, noNaN: true }), count, (c, more, day) => {
      const normal = thresholdsFor({ ...c, tightened: false }, defaultThresholds, day);
      const tightened = thresholdsFor({ ...c, tightened: true }, defaultThresholds, day);
      const surging = thresholdsFor({ ...c, tightened: false, surge: c.surge * more }, defaultThresholds, day);
      for (const signal of guardedSignals) {
        expect(tightened[signal]).toBeLessThanOrEqual(normal[signal]);
        expect(surging[signal]).toBeGreaterThanOrEqual(normal[signal]);
        expect(normal[signal]).toBeGreaterThan(0);
      }
    }));
  });

  it('learn a baseline whose high day is never below its typical day, and keep the prior until ten days are known', () => {
    fc.assert(fc.property(days, fc.constantFrom(...profiles), (history, profile) => {
      const baseline = learnBaseline(history, profile);
      for (const high of baseline.highDay) expect(high).toBeGreaterThanOrEqual(baseline.typicalDay);
      if (baseline.activeDays < 10) expect(baseline.typicalDay).toBeGreaterThanOrEqual(priors[profile].typicalDay);
    }));
  });

  it('learn a pharmacy’s own Monday from its history', () => {
    // 24 days from a Monday on.
    const firstMonday = nextWeekday(1);
    const history: DaySummary[] = Array.from({ length: 24 }, (_, i) => {
      const day = addDays(firstMonday, i);
      const weekday = (1 + i) % 7;
      const distinct = weekday === 0 ? 0 : weekday === 1 ? 260 : 180;
      return { day, weekday, distinct, misses: 5, unfollowed: distinct / 10, offHours: 0 };
    });
    const baseline = learnBaseline(history, 'pharmacy');
    expect(baseline.typicalDay).toBe(180);
    expect(baseline.highDay[1]).toBe(260);
    expect(baseline.highDay[2]).toBe(180);
    const monday = thresholdsFor({ profile: 'pharmacy', baseline, weekday: 1, surge: 1, tightened: false, raised: {} }, defaultThresholds, 260);
    expect(monday.day).toBe(325);
    // A tenth of its patients go uncalculated: on a 260-patient Monday, about 26; a scraper's every patient is one.
    expect(monday.unfollowedDay).toBeCloseTo(margin(1.25 * 26) + 0.07 * 260, 5);
  });

  it('raise a threshold after a step-up passed, never lower one', () => {
    fc.assert(fc.property(context, count, fc.constantFrom(...guardedSignals), fc.integer({ min: 0, max: 5000 }), (c, day, signal, granted) => {
      const plain = thresholdsFor({ ...c, raised: {} }, defaultThresholds, day);
      const raised = thresholdsFor({ ...c, raised: { [signal]: granted } }, defaultThresholds, day);
      expect(raised[signal]).toBeGreaterThanOrEqual(plain[signal]);
    }));
  });
});
