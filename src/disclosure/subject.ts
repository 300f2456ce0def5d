import type { Caller } from '../access/caller.js';
import type { ProfessionalActor } from '../audit/access-record.js';
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

/** The same fields in the order the disclosure functions take them (migration 019): professional, site, client, session, ip, device. */
export function callerParams(caller: Caller): unknown[] {
  const by = accessBy(caller);
  return [by.professionalId, by.siteId, by.clientId, by.sessionRef, by.ip, by.device];
}
