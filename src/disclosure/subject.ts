import type { Caller } from '../access/caller.js';
import type { AccessPurpose, ProfessionalActor } from '../audit/access-record.js';
import { accessSealer } from '../audit/access-seal.js';
import { networkOf, profileOf, type Subject } from '../shield/index.js';

/** The caller as the shield watches it. */
export function subjectOf(caller: Caller): Subject {
  const from = caller.presence?.from;
  return {
    professionalId: caller.professionalId,
    siteId: caller.siteId,
    clientId: caller.clientId,
    profile: profileOf(caller.practice),
    network: networkOf(caller.ip),
    device: caller.device,
    session: caller.presence && from ? { network: networkOf(from.ip), device: from.device, provedAtMs: caller.presence.at.getTime() } : null,
  };
}

/** Who the access log names for a disclosure to this caller; the device as the log keeps it (200 characters at most). */
export function accessBy(caller: Caller): ProfessionalActor {
  return { professionalId: caller.professionalId, siteId: caller.siteId, clientId: caller.clientId, sessionRef: caller.sessionRef, ip: caller.ip, device: caller.device?.slice(0, 200) ?? null };
}

/**
 * The same fields in the order the disclosure functions take them (migrations 019, 022):
 * professional, site, client, session, ip, device, then the request's seal over them,
 * the insurer and the purpose the function writes (src/audit/access-seal.ts): the
 * beneficiary and the answer are decided inside the statement, so only the request can be
 * sealed before it.
 */
export function callerParams(caller: Caller, insurerId: number, purpose: SealedPurpose): unknown[] {
  const { fields, seal } = sealing(caller, insurerId, purpose);
  return [...fields, seal()];
}

/**
 * The same fields, then an array of `count` seals instead of one: for a disclosure
 * function that writes one record per person a page names (disclose_invoice_returns,
 * migration 029). A seal is spent once (its nonce); the unused ones are never written.
 */
export function callerParamsSeals(caller: Caller, insurerId: number, purpose: SealedPurpose, count: number): unknown[] {
  const { fields, seal } = sealing(caller, insurerId, purpose);
  return [...fields, Array.from({ length: count }, seal)];
}

type SealedPurpose = Extract<AccessPurpose, 'rights_check' | 'coverage' | 'engagement' | 'prior_agreement' | 'invoice'>;

function sealing(caller: Caller, insurerId: number, purpose: SealedPurpose): { fields: unknown[]; seal: () => Buffer } {
  const by = accessBy(caller);
  const clientId = by.clientId ?? null;
  const sessionRef = by.sessionRef ?? null;
  const device = by.device ?? null;
  const request = { insurerId, professionalId: by.professionalId, siteId: by.siteId, staffId: null, clientId, sessionRef, ip: by.ip, device, purpose };
  return { fields: [by.professionalId, by.siteId, clientId, sessionRef, by.ip, device], seal: () => accessSealer().seal(request) };
}
