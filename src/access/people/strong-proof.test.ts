import { describe, expect, it } from 'vitest';
import { authTimeOf } from './oidc-login.js';
import { enrolmentRefusal, STRONG_PROOF_SECONDS } from './strong-proof.js';

const now = new Date();
const ago = (seconds: number): Date => new Date(now.getTime() - seconds * 1000);
const office = { ip: '192.0.2.10', device: 'Firefox du cabinet' };

describe('the strong proof an enrolment needs', () => {
  it('is fresh and given from the network or the device the request comes from', () => {
    expect(enrolmentRefusal({ at: ago(60), from: office }, office, now)).toBeUndefined();
    // Another address of the same network (a DHCP lease), or another browser on it: the same person.
    expect(enrolmentRefusal({ at: ago(60), from: office }, { ip: '192.0.2.77', device: 'Chrome' }, now)).toBeUndefined();
    expect(enrolmentRefusal({ at: ago(60), from: office }, { ip: '198.51.100.4', device: office.device }, now)).toBeUndefined();
  });

  it('is refused missing, stale, placeless, or from another network and another device', () => {
    const refusals = [
      enrolmentRefusal(null, office, now),
      enrolmentRefusal({ at: ago(STRONG_PROOF_SECONDS + 1), from: office }, office, now),
      enrolmentRefusal({ at: ago(60), from: null }, office, now),
      enrolmentRefusal({ at: ago(60), from: office }, { ip: '198.51.100.4', device: 'curl/8.5.0' }, now),
    ];
    expect(refusals.every((reason) => typeof reason === 'string' && reason.length > 0)).toBe(true);
  });

  it('takes a Pro Santé Connect login at the provider’s auth_time, never later than now, and none without one', () => {
    const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);
    expect(authTimeOf(seconds(ago(30)), now)).toEqual(new Date(seconds(ago(30)) * 1000));
    expect(authTimeOf(seconds(now) + 600, now)).toEqual(now);
    expect([authTimeOf(undefined, now), authTimeOf('1700000000', now), authTimeOf(Number.NaN, now)]).toEqual([null, null, null]);
  });
});
