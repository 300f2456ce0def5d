import type { Database } from '../db/database.js';
import type { ReplayGuard } from './replay-cache.js';
import type { TokenSigner } from './token-signer.js';

/** What checking a machine caller needs (its token, its DPoP proof, its client re-read): the policy's and the token route's options. */
export interface MachineChecks {
  db: Database;
  signer: TokenSigner;
  replay: ReplayGuard;
  /** The platform's public origin, e.g. https://rempart.example: proofs and assertions name it. */
  publicOrigin: string;
  now: () => Date;
}

/**
 * What access tells the watcher of disclosures (src/shield) about accounts: a professional
 * proved presence (a step-up it asked for is answered), a suspension was lifted (the account
 * starts again from normal). Declared here, met by the shield, wired by the application, so
 * that access never imports the shield (the shield reads access's suspensions).
 */
export interface AccountWatch {
  presenceProved(professionalId: number, nowMs: number): Promise<void>;
  restored(professionalId: number): Promise<void>;
}

export const TOKEN_PATH = '/oauth/token';
/** Where the token endpoint describes itself (RFC 8414, for an issuer without a path). */
export const AUTHORIZATION_SERVER_METADATA_PATH = '/.well-known/oauth-authorization-server';

export function tokenEndpoint(publicOrigin: string): string {
  return `${publicOrigin}${TOKEN_PATH}`;
}
