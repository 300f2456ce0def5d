import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as clock from '../src/clock.js';
import { addDays, type CalendarDate } from '../src/domain/dates.js';
import { generateDataset, MANIFEST_FILE, type DatasetOptions, type Manifest } from '../src/synthetic/dataset.js';

/** Whether data generated on `generatedOn` still describes `today` for a bench. */
export type StillValid = (generatedOn: CalendarDate, today: CalendarDate) => boolean;

/** Days a population's directory and rights are trusted after their extraction date (well short of the shield's 90 days of dormancy). */
export const POPULATION_DAYS = 28;

/**
 * A population checked over HTTP on today's date: its rights run to the end of the year it
 * was extracted in, so it must be of this year, and recent enough for its professionals'
 * activities to be today's.
 */
export const populationStillValid: StillValid = (generatedOn, today) =>
  generatedOn <= today && generatedOn.slice(0, 4) === today.slice(0, 4) && addDays(generatedOn, POPULATION_DAYS) >= today;

/** A file loaded into a fresh database: its dates only label it, any past day will do. */
export const fileStillValid: StillValid = (generatedOn, today) => generatedOn <= today;

export interface CachedDataset {
  dir: string;
  manifest: Manifest;
  /** Why it was (re)generated, or that it was reused: printed with the figures. */
  provenance: string;
}

/**
 * A generated data set kept in bench/.cache/NAME (not committed): reused while `stillValid`
 * holds for its extraction date, otherwise removed — with whatever a bench kept beside it —
 * and generated again with today's date.
 */
export async function cachedDataset(
  name: string,
  options: Omit<DatasetOptions, 'outDir' | 'date'>,
  stillValid: StillValid,
  today = clock.today(),
  root = resolve('bench', '.cache'),
): Promise<CachedDataset> {
  const dir = join(root, name);
  const manifestPath = join(dir, MANIFEST_FILE);
  const previous = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest) : undefined;
  if (previous && stillValid(previous.date as CalendarDate, today)) {
    return { dir, manifest: previous, provenance: `données du ${previous.date} réutilisées (${dir})` };
  }
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`génération de ${options.beneficiaries} bénéficiaires datés du ${today} dans ${dir}${previous ? ` (celles du ${previous.date} ne valent plus)` : ''}…\n`);
  const manifest = await generateDataset({ ...options, date: today, outDir: dir });
  return { dir, manifest, provenance: `données générées le ${today}${previous ? `, à la place de celles du ${previous.date}` : ''} (${dir})` };
}
