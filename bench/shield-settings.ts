import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lenientThresholds } from '../src/shield/test-support/shield.js';

/**
 * How a bench runs the platform's shield, said with its figures (MEASURED.md: a load test
 * from a few accounts looks like scraping). `lenient`: on, every signal counted and
 * assessed on every request, with thresholds no bench traffic reaches — the shield's cost
 * without its refusals; `default`: the server's own thresholds, which a bench at full speed
 * rightly trips (its refusals are then counted as failures); `off`: REMPART_SHIELD=off.
 */
export type ShieldSetting = 'lenient' | 'default' | 'off';

export const shieldSettings: readonly ShieldSetting[] = ['lenient', 'default', 'off'];

export function parseShieldSetting(value: string): ShieldSetting {
  const found = shieldSettings.find((setting) => setting === value);
  if (!found) throw new Error(`--shield : ${shieldSettings.join(', ')} attendu`);
  return found;
}

/** The platform's environment for `setting`, counters in process (no Redis); `dir` receives the lenient thresholds' file. */
export function shieldEnv(setting: ShieldSetting, dir: string): NodeJS.ProcessEnv {
  const base = { REDIS_URL: '', REMPART_SHIELD: '', REMPART_SHIELD_THRESHOLDS: '' };
  if (setting === 'off') return { ...base, REMPART_SHIELD: 'off' };
  if (setting === 'default') return base;
  return { ...base, REMPART_SHIELD_THRESHOLDS: lenientThresholdsFile(dir) };
}

/** Writes the lenient thresholds where the platform reads them (REMPART_SHIELD_THRESHOLDS). */
export function lenientThresholdsFile(dir: string): string {
  const file = join(dir, 'shield-lenient.json');
  writeFileSync(file, JSON.stringify(lenientThresholds));
  return file;
}

export const LENIENT_WORDS = 'actif, seuils hors d’atteinte du banc (lenientThresholds : chaque signal compté et évalué à chaque requête, aucun refus)';

/** The setting in words, for the bench's output. */
export function describeShield(setting: ShieldSetting): string {
  if (setting === 'off') return 'coupé (REMPART_SHIELD=off)';
  if (setting === 'default') return 'actif, seuils du serveur (defaultThresholds) : un banc à pleine vitesse les dépasse, ses refus comptent comme échecs';
  return LENIENT_WORDS;
}
