import { setTimeout as sleep } from 'node:timers/promises';
import { RempartError } from '../domain/errors/codes.js';
import type { Pass, Shield, Subject } from '../shield/engine.js';

/**
 * The shield's word before a disclosure: go on, go on after a pause, prove presence
 * first, or stop. Only this account is slowed or stopped (THREATS.md point 11).
 */
export async function admit(shield: Shield, subject: Subject, now: Date): Promise<Pass> {
  const { verdict, pass } = await shield.gate(subject, now.getTime());
  switch (verdict.action) {
    case 'allow':
      return pass;
    case 'slow':
      await sleep(verdict.delayMs);
      return pass;
    case 'step_up':
      throw new RempartError('SHIELD_STEP_UP_REQUIRED');
    case 'closed':
      throw new RempartError('SHIELD_ACCOUNT_CLOSED');
  }
}
