import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPopulation, generateDay, weekdayOf, type Population } from './population.js';
import { summarize } from './report.js';
import { simulate } from './simulate.js';

function pharmacyChecks(population: Population, day: number): number {
  const traffic = generateDay(population, day);
  let count = 0;
  for (let i = 0; i < traffic.checks; i++) if (population.accounts[traffic.account[i] ?? 0]?.profile === 'pharmacy') count++;
  return count;
}

describe('simulated population', () => {
  it('is the same for the same seed, down to every check of a day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 40 }), (seed, day) => {
        const one = generateDay(buildPopulation({ sites: 60, days: 14, seed }), day);
        const two = generateDay(buildPopulation({ sites: 60, days: 14, seed }), day);
        expect(Array.from(two.order)).toEqual(Array.from(one.order));
        expect(Array.from(two.time)).toEqual(Array.from(one.time));
        expect(Array.from(two.patient)).toEqual(Array.from(one.patient));
      }),
      { numRuns: 10 },
    );
  });

  it('peaks on Mondays: pharmacies check more patients on a Monday than on the other weekdays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 2 }), (seed, week) => {
        const population = buildPopulation({ sites: 200, days: 14, seed });
        const monday = 7 * week;
        expect(weekdayOf(monday)).toBe(1);
        const others = [1, 2, 3, 4].map((d) => pharmacyChecks(population, monday + d));
        expect(pharmacyChecks(population, monday)).toBeGreaterThan(Math.max(...others));
        // Closed on Sunday, save the pharmacies on duty.
        expect(pharmacyChecks(population, monday + 6)).toBeLessThan(Math.min(...others) / 2);
      }),
      { numRuns: 5 },
    );
  });

  it('has new sites, mergers and dormant accounts', () => {
    const population = buildPopulation({ sites: 2000, days: 30, seed: 7 });
    expect(population.accounts.length).toBeGreaterThan(2000);
    expect(population.sites.filter((s) => s.openDay > 0).length).toBeGreaterThan(50);
    expect(population.sites.filter((s) => s.mergerDay !== Infinity)).toHaveLength(3);
    expect(population.accounts.filter((a) => a.dormantSince !== null).length).toBeGreaterThan(0);
    expect(new Set(population.accounts.map((a) => a.professionalId)).size).toBe(population.accounts.length);
  });
});

describe('shield simulation (small seed)', () => {
  it('contains the stolen account, the enumerator, the replayed token and the dormant account, and suspends no legitimate account', { timeout: 240_000 }, async () => {
    const result = await simulate({ sites: 120, days: 14, seeds: 1, seedBase: 11, scenarios: ['a', 'd', 'e', 'f'], inProcess: true });
    const report = summarize(result);
    const outcome = (id: string): { totalRecords: number; timeToContainmentMs: number | null } => {
      const found = result.seeds[0]?.outcomes.find((o) => o.scenario === id);
      if (!found) throw new Error(`scenario ${id} missing`);
      return found;
    };
    expect(outcome('a').totalRecords).toBeLessThanOrEqual(50);
    expect(outcome('a').timeToContainmentMs).not.toBeNull();
    expect(outcome('a').timeToContainmentMs ?? Infinity).toBeLessThan(60_000);
    expect(outcome('d').totalRecords).toBeLessThanOrEqual(20);
    expect(outcome('e').totalRecords).toBe(0);
    expect(outcome('f').totalRecords).toBe(0);
    expect(result.seeds[0]?.clean?.wrongfulSuspensions).toBe(0);
    expect(report.markdown).toContain('| (a)');
    expect(report.svg).toMatch(/^<svg /);
    // In French like the rest of the platform: no English word left in the report or the chart.
    expect(report.markdown).toMatch(/^# Simulation du bouclier\n/);
    expect(outcome('a')).toMatchObject({ containedBy: expect.stringMatching(/^(confirmation d’identité|suspension) : /) as unknown });
    for (const word of ['records?', 'step-up', 'pass', 'FAIL', 'never', 'seeds?', 'goal', 'contained']) {
      const english = new RegExp(`(?<!\\p{L})${word}(?!\\p{L})`, 'u');
      expect(report.markdown).not.toMatch(english);
      expect(report.svg).not.toMatch(english);
    }
  });
});
