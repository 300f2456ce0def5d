import { HOUR_MS } from '../../domain/dates.js';

/** The default delay between a change's confirmation and its effect: three days to notice and cancel. */
export const DEFAULT_CHANGE_DELAY_HOURS = 72;

/**
 * The delay from `REMPART_BANK_CHANGE_DELAY_HOURS` (whole hours, 1 to 720): a typo must
 * not make changes immediate, so anything else stops the start.
 */
export function changeDelayMs(env: NodeJS.ProcessEnv): number {
  const raw = env.REMPART_BANK_CHANGE_DELAY_HOURS;
  if (raw === undefined || raw === '') return DEFAULT_CHANGE_DELAY_HOURS * HOUR_MS;
  const hours = Number(raw);
  if (!Number.isInteger(hours) || hours < 1 || hours > 720) throw new Error(`REMPART_BANK_CHANGE_DELAY_HOURS : nombre entier d’heures de 1 à 720 attendu, pas « ${raw} »`);
  return hours * HOUR_MS;
}
