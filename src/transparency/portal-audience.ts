import { unwatched, type Audience } from '../disclosure/door.js';
import { recordRead } from './reads.js';

/** The member portal reading, as its reads are recorded: which portal, from where. */
export interface PortalReader {
  clientId: string;
  ip: string;
  /** The portal's DPoP key thumbprint. */
  device: string;
}

/**
 * A member portal: no shield (it is no professional, and a history discloses nothing
 * from the registry), and its refused reads recorded in the reads log as its shown ones.
 */
export function portalAudience(reader: PortalReader): Audience<null> {
  return {
    admit: () => Promise.resolve(unwatched),
    async recordFailure(tx, _purpose, insurerId, result) {
      // An insurer the portal is bound to always exists: the failure is in its scope.
      if (insurerId === null) throw new Error('portail adhérent sans organisme');
      await recordRead(tx, { insurerId, beneficiaryId: null, clientId: reader.clientId, channel: 'api', ip: reader.ip, device: reader.device, entries: 0, result });
    },
  };
}
