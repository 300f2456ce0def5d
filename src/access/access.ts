import type { Database } from '../db/database.js';
import type { Shield } from '../shield/engine.js';
import type { ReplayGuard } from './replay-cache.js';
import type { TokenSigner } from './token-signer.js';

/** What the access layer needs, assembled once by the server. */
export interface Access {
  db: Database;
  signer: TokenSigner;
  replay: ReplayGuard;
  /** The platform's public origin, e.g. https://rempart.example: proofs and assertions name it. */
  publicOrigin: string;
  /** Watches every disclosure per account: slows down, asks for a step-up, suspends (src/shield). */
  shield: Shield;
  now: () => Date;
}

export const TOKEN_PATH = '/oauth/token';

export function tokenEndpoint(access: Access): string {
  return `${access.publicOrigin}${TOKEN_PATH}`;
}
