import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as clock from '../src/clock.js';
import { addDays, type CalendarDate } from '../src/domain/dates.js';
import { cachedDataset, fileStillValid, POPULATION_DAYS, populationStillValid } from './dataset-cache.js';

const today = clock.today();
const newYear = `${today.slice(0, 4)}-01-01` as CalendarDate;

describe('cached bench data', () => {
  it('keeps a population generated today or recently, in the same year', () => {
    expect(populationStillValid(today, today)).toBe(true);
    expect(populationStillValid(newYear, addDays(newYear, 7))).toBe(true);
    expect(populationStillValid(newYear, addDays(newYear, POPULATION_DAYS))).toBe(true);
  });

  it('regenerates a population too old, from last year (its rights ended on 31 December), or from a later day', () => {
    expect(populationStillValid(newYear, addDays(newYear, POPULATION_DAYS + 1))).toBe(false);
    expect(populationStillValid(addDays(newYear, -1), newYear)).toBe(false);
    expect(populationStillValid(addDays(today, 1), today)).toBe(false);
  });

  it('keeps a file loaded into a fresh database whatever its past date', () => {
    expect(fileStillValid(addDays(today, -400), today)).toBe(true);
    expect(fileStillValid(addDays(today, 1), today)).toBe(false);
  });
});

describe('a cached population', () => {
  it('is generated with today’s date, reused the same day, and regenerated — with what was kept beside it — once it no longer describes the day', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rempart-bench-cache-'));
    try {
      const options = { seed: 'cache-test', insurers: 1, beneficiaries: 30, professionals: 20, format: 'csv' as const };
      const first = await cachedDataset('pop', options, populationStillValid, today, root);
      expect(first.manifest.date).toBe(today);
      expect(first.provenance).toContain(`générées le ${today}`);
      writeFileSync(join(first.dir, 'server-database.txt'), 'rempart_bench_old');
      const again = await cachedDataset('pop', options, populationStillValid, today, root);
      expect(again.provenance).toContain('réutilisées');
      expect(existsSync(join(first.dir, 'server-database.txt'))).toBe(true);
      const later = addDays(today, POPULATION_DAYS + 1);
      const renewed = await cachedDataset('pop', options, populationStillValid, later, root);
      expect(renewed.manifest.date).toBe(later);
      expect(renewed.provenance).toContain(`à la place de celles du ${today}`);
      expect(existsSync(join(first.dir, 'server-database.txt'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
