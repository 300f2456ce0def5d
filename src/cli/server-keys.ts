import { TokenSigner } from '../access/token-signer.js';
import { AccessSealer } from '../audit/access-seal.js';
import { AuditSigner } from '../audit/checkpoint-signer.js';
import { accessSealKeyFromEnv } from '../vault/access-seal-key.js';
import { masterKeyFromEnv, type MasterKey } from '../vault/master-key.js';

export interface ServerKeys {
  masterKey: MasterKey;
  tokens: TokenSigner;
  audit: AuditSigner;
  /** Seals each access record (src/audit/access-seal.ts). */
  seal: AccessSealer;
}

/**
 * The four keys `rempart start` seals and signs with, read (or, on the embedded store
 * only, made) before the store or a port is opened: the server never runs with a key
 * missing, nor with the access log unsigned. Every key missing or unreadable is reported,
 * one line each, so that a deployment is fixed in one go rather than one start per key.
 */
export async function loadServerKeys(env: NodeJS.ProcessEnv, home: string, issuer: string): Promise<ServerKeys> {
  const [masterKey, tokens, audit, seal] = await Promise.allSettled([
    Promise.resolve().then(() => masterKeyFromEnv(env, home)),
    TokenSigner.fromEnv(env, home, issuer),
    Promise.resolve().then(() => AuditSigner.fromEnv(env, home)),
    Promise.resolve().then(() => new AccessSealer(accessSealKeyFromEnv(env, home))),
  ]);
  if (masterKey.status === 'fulfilled' && tokens.status === 'fulfilled' && audit.status === 'fulfilled' && seal.status === 'fulfilled') {
    return { masterKey: masterKey.value, tokens: tokens.value, audit: audit.value, seal: seal.value };
  }
  const failures = [masterKey, tokens, audit, seal].flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  throw failures.length === 1 ? failures[0] : new AggregateError(failures, 'clés du serveur');
}
