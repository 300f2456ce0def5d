import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TokenSigner } from '../access/token-signer.js';
import { AuditSigner } from '../audit/checkpoint-signer.js';
import { RempartError } from '../domain/errors/codes.js';
import { writeKeyFileOnce } from '../vault/key-file.js';
import { newAccessSealKeyText } from '../vault/access-seal-key.js';
import { newMasterKeyText } from '../vault/master-key.js';

/**
 * File names of a server deployment's keys: none is a development default of the embedded
 * store (master.key, token-key.jwk, audit-key.pem, access-seal.key in REMPART_HOME), so that keys made into
 * that folder are never picked up by the embedded store, nor the other way round.
 */
export const SERVER_KEY_FILES = {
  master: 'rempart-master.key',
  token: 'rempart-token.jwk',
  audit: 'rempart-audit.pem',
  auditPublic: 'rempart-audit.pub.pem',
  seal: 'rempart-access-seal.key',
} as const;

/**
 * `rempart keys init --out DIR`: the four keys of a server deployment, private to their
 * owner (0600, in a folder made 0700), none overwritten; returns the environment lines
 * that name them. The audit key's public half is written beside them for auditors.
 */
export async function initServerKeys(out: string): Promise<string[]> {
  const dir = resolve(out);
  const path = (name: string): string => join(dir, name);
  const present = Object.values(SERVER_KEY_FILES).map(path).filter((file) => existsSync(file));
  if (present.length > 0) throw new RempartError('KEY_FILE_EXISTS', present.join(', '));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const auditPem = AuditSigner.newKeyPem();
  const secrets: [string, string][] = [
    [SERVER_KEY_FILES.master, newMasterKeyText()],
    [SERVER_KEY_FILES.token, await TokenSigner.newKeyJwk()],
    [SERVER_KEY_FILES.audit, auditPem],
    [SERVER_KEY_FILES.seal, newAccessSealKeyText()],
  ];
  for (const [name, content] of secrets) {
    if (!writeKeyFileOnce(path(name), content)) throw new RempartError('KEY_FILE_EXISTS', path(name));
  }
  writeFileSync(path(SERVER_KEY_FILES.auditPublic), AuditSigner.fromPem(auditPem).publicKeyPem(), { mode: 0o644, flag: 'wx' });
  return [
    `# Clés du déploiement (serveur PostgreSQL, DATABASE_URL), à donner à chaque instance ; conservez-en une copie hors de cet hôte :`,
    `REMPART_MASTER_KEY_FILE=${path(SERVER_KEY_FILES.master)}`,
    `REMPART_TOKEN_KEY_FILE=${path(SERVER_KEY_FILES.token)}`,
    `REMPART_AUDIT_KEY_FILE=${path(SERVER_KEY_FILES.audit)}`,
    `REMPART_ACCESS_SEAL_KEY_FILE=${path(SERVER_KEY_FILES.seal)}`,
    `# Clé publique du journal d’accès, pour les auditeurs et les témoins : ${path(SERVER_KEY_FILES.auditPublic)}`,
  ];
}
