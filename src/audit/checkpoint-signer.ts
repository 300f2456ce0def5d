import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RempartError } from '../domain/errors/codes.js';
import { missingServerKey } from '../domain/errors/missing-key.js';
import { refuseKeyBesideData, writeKeyFileOnce } from '../vault/key-file.js';
import { dropMessage, type DropBody } from './retention-message.js';

/**
 * Signed tree heads of the access log (Ed25519, RFC 8032). What is signed is this ASCII
 * text, five lines each ended by "\n", nothing else:
 *
 *   rempart access log checkpoint v1
 *   <tree_size, decimal, no leading zero>
 *   <root_hash, 64 lowercase hexadecimal digits>
 *   <created_at, microseconds since 1970-01-01T00:00:00Z, decimal>
 *   <key_id>
 *
 * key_id is the first 16 bytes, in lowercase hexadecimal, of the SHA-256 of the public key
 * in DER SubjectPublicKeyInfo form: `openssl pkey -pubin -in audit.pub -outform DER |
 * sha256sum | cut -c1-32`. Someone outside checks a head with `openssl pkeyutl -verify
 * -pubin -inkey audit.pub -rawin -in head.txt -sigfile head.sig`.
 *
 * The private key never enters the database: whoever can write to the database (A9) cannot
 * sign a head over an edited history.
 */
export interface CheckpointBody {
  treeSize: number;
  rootHash: Uint8Array;
  createdAtMicros: bigint;
  keyId: string;
}

const HEADER = 'rempart access log checkpoint v1';

export function checkpointMessage(body: CheckpointBody): Buffer {
  if (!Number.isSafeInteger(body.treeSize) || body.treeSize < 0) throw new RangeError(`taille d'arbre invalide : ${body.treeSize}`);
  if (body.rootHash.length !== 32) throw new RangeError('racine de 32 octets attendue');
  if (!/^[0-9a-f]{32}$/.test(body.keyId)) throw new RangeError(`identifiant de clé invalide : ${body.keyId}`);
  const lines = [HEADER, String(body.treeSize), Buffer.from(body.rootHash).toString('hex'), body.createdAtMicros.toString(), body.keyId];
  return Buffer.from(`${lines.join('\n')}\n`, 'ascii');
}

/** The fingerprint that names a public key in checkpoints (see above). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
}

/** The key that signs checkpoints; one per deployment, shared by every instance. */
export class AuditSigner {
  readonly keyId: string;
  readonly publicKey: KeyObject;

  private constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new RempartError('AUDIT_KEY_INVALID', `clé ${privateKey.asymmetricKeyType ?? 'inconnue'} au lieu d'Ed25519`);
    }
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  static generate(): AuditSigner {
    return new AuditSigner(generateKeyPairSync('ed25519').privateKey);
  }

  /** A PKCS#8 PEM private key (`openssl genpkey -algorithm ed25519`); `source` names it in a refusal. */
  static fromPem(pem: string | Buffer, source = 'clé privée'): AuditSigner {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new RempartError('AUDIT_KEY_INVALID', `${source} : PKCS#8 PEM illisible`);
    }
    return new AuditSigner(key);
  }

  /**
   * `REMPART_AUDIT_KEY_FILE` (PKCS#8 PEM), which must exist, and with a server lie outside
   * REMPART_HOME and PGDATA (never beside the data it signs); else, on the embedded store
   * only, `<home>/audit-key.pem`, created on first use: with a server, every instance must
   * sign with the same key, which a host cannot make up alone.
   */
  static fromEnv(env: NodeJS.ProcessEnv, home: string): AuditSigner {
    const configured = env.REMPART_AUDIT_KEY_FILE;
    if (configured) {
      refuseKeyBesideData(configured, env, home, 'clé de signature du journal d’accès (REMPART_AUDIT_KEY_FILE)');
      return AuditSigner.fromPem(readKeyFile(configured), configured);
    }
    if (env.DATABASE_URL) throw missingServerKey('clé de signature du journal d’accès', 'REMPART_AUDIT_KEY_FILE');
    const path = join(home, 'audit-key.pem');
    if (!existsSync(path)) writeKeyFileOnce(path, AuditSigner.newKeyPem());
    return AuditSigner.fromPem(readKeyFile(path));
  }

  /** A fresh private key, as its file holds it: Ed25519, PKCS#8 PEM. */
  static newKeyPem(): string {
    return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  sign(body: Omit<CheckpointBody, 'keyId'>): Buffer {
    return sign(null, checkpointMessage({ ...body, keyId: this.keyId }), this.privateKey);
  }

  /** A drop record of the retention (src/audit/retention-message.ts), with the same key. */
  signDrop(body: Omit<DropBody, 'keyId'>): Buffer {
    return sign(null, dropMessage({ ...body, keyId: this.keyId }), this.privateKey);
  }

  /** The public half, SubjectPublicKeyInfo PEM, for whoever checks checkpoints outside. */
  publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
}

export type SignatureCheck = 'valid' | 'invalid' | 'unknown-key';

/** The public keys a verifier trusts, by key_id: the current one and any retired ones. */
export class TrustedKeys {
  private readonly byId = new Map<string, KeyObject>();

  constructor(keys: readonly KeyObject[]) {
    for (const key of keys) {
      if (key.asymmetricKeyType !== 'ed25519') throw new RempartError('AUDIT_KEY_INVALID', 'clé publique Ed25519 attendue');
      const publicKey = key.type === 'private' ? createPublicKey(key) : key;
      this.byId.set(keyIdOf(publicKey), publicKey);
    }
  }

  /** A public key (SPKI PEM) or a private key file, whose public half is taken. */
  static readPublicKeyFile(path: string): KeyObject {
    const pem = readKeyFile(path);
    try {
      return createPublicKey(pem);
    } catch {
      throw new RempartError('AUDIT_KEY_INVALID', `clé publique illisible : ${path}`);
    }
  }

  get ids(): string[] {
    return [...this.byId.keys()];
  }

  check(body: CheckpointBody, signature: Uint8Array): SignatureCheck {
    return this.checkMessage(body.keyId, () => checkpointMessage(body), signature);
  }

  checkDrop(body: DropBody, signature: Uint8Array): SignatureCheck {
    return this.checkMessage(body.keyId, () => dropMessage(body), signature);
  }

  private checkMessage(keyId: string, build: () => Buffer, signature: Uint8Array): SignatureCheck {
    const key = this.byId.get(keyId);
    if (key === undefined) return 'unknown-key';
    let message: Buffer;
    try {
      message = build();
    } catch {
      return 'invalid';
    }
    return verify(null, message, key, signature) ? 'valid' : 'invalid';
  }
}

function readKeyFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'erreur inconnue';
    throw new RempartError('AUDIT_KEY_INVALID', `fichier illisible : ${path} (${code})`);
  }
}
