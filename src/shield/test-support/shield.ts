import type { Database } from '../../db/database.js';
import { defaultThresholds, type ShieldThresholds } from '../config.js';
import { createShield, type Shield } from '../index.js';

/**
 * Thresholds no other suite's traffic reaches (a test checks dozens of cards in the same
 * instant): the shield still runs on every disclosure, its own suites use the defaults.
 */
export const lenientThresholds: ShieldThresholds = {
  ...defaultThresholds,
  minuteCapFactor: 1000,
  hourFloor: 100_000,
  missFloor: 100_000,
  unfollowedFloor: 100_000,
  offHoursFloor: 100_000,
  dayFactor: 1000,
};

/** The server's shield on the test database: in-process counters, or Redis when `env` names one. */
export function testShield(db: Database, thresholds: ShieldThresholds = lenientThresholds, env: NodeJS.ProcessEnv = {}): Shield {
  return createShield(db, env, { enabled: true, thresholds });
}
