import { networkOf } from '../../http/network.js';
import type { ProvedFrom } from './sessions.js';

/**
 * How recent the strong proof behind an enrolment must be: time enough to confirm on /moi
 * and then act, too little for a cookie copied later to find one still standing.
 */
export const STRONG_PROOF_SECONDS = 300;

/** A strong proof of presence (passkey assertion, Pro Santé Connect authentication): when, and where it was given. */
export interface StrongProof {
  at: Date;
  from: ProvedFrom | null;
}

/**
 * Why this session may not enrol a credential now, from where this request comes;
 * undefined when it may. A session is not a proof of presence (THREATS.md 12): it needs a
 * strong proof minutes old, given from this network or this device.
 */
export function enrolmentRefusal(proof: StrongProof | null, here: ProvedFrom, now: Date): string | undefined {
  if (!proof) return 'aucune preuve forte sur cette session';
  if (now.getTime() - proof.at.getTime() > STRONG_PROOF_SECONDS * 1000) return `preuve forte de plus de ${STRONG_PROOF_SECONDS / 60} minutes`;
  // A proof without a place (a session older than where proofs are kept) cannot vouch for this one.
  if (!proof.from || moved(proof.from, here)) return 'session utilisée depuis un autre réseau et un autre appareil que ceux de sa preuve';
  return undefined;
}

/**
 * Another network and another device than where the proof was given: a copied cookie, as
 * the shield reads it too (its "session moved"). Either one alone is a person who moved.
 */
export function moved(proof: ProvedFrom, here: ProvedFrom): boolean {
  return networkOf(proof.ip) !== networkOf(here.ip) && proof.device !== here.device;
}
