import { setTimeout as sleep } from 'node:timers/promises';
import { RempartError } from '../domain/errors/codes.js';
import type { GateOptions, Pass, Shield, Subject } from '../shield/engine.js';

/**
 * The shield's word before a disclosure: go on, go on after a pause, prove presence
 * first, or stop. Only this account is slowed or stopped (THREATS.md point 11). A slowed
 * request is judged again after its pause, with what was disclosed meanwhile.
 */
export async function admit(shield: Shield, subject: Subject, now: Date, lookup: boolean): Promise<Pass> {
  const options: GateOptions = { lookup };
  let { verdict, pass } = await shield.gate(subject, now.getTime(), options);
  if (verdict.action === 'slow') {
    await sleep(verdict.delayMs);
    ({ verdict, pass } = await shield.gate(subject, now.getTime() + verdict.delayMs, { ...options, waited: true }));
  }
  switch (verdict.action) {
    case 'allow':
      return pass;
    case 'slow':
      throw new RempartError('SHIELD_SLOW_DOWN', undefined, { retryAfterSeconds: verdict.delayMs / 1000 });
    case 'busy':
      throw new RempartError('SHIELD_SLOW_DOWN', undefined, { retryAfterSeconds: verdict.retryAfterMs / 1000 });
    case 'step_up':
      throw new RempartError('SHIELD_STEP_UP_REQUIRED');
    case 'closed':
      throw new RempartError('SHIELD_ACCOUNT_CLOSED');
  }
}
