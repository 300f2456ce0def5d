import { createHmac, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { RempartError } from '../domain/errors/codes.js';
import { SEAL_BYTES, Writer, type StoredAccessRecord } from './leaf.js';

/**
 * The application's seal on each access record (issue 15, point 7; THREATS.md point 17):
 * an HMAC-SHA256 under a key the database never holds (src/vault/access-seal-key.ts), so
 * that a row inserted by whoever holds only the store — its owner, a superuser — carries
 * no valid seal and the sequencer refuses to sign it.
 *
 * A seal is 50 bytes, stored in access_record.seal:
 *
 *   u8     0x01        seal version
 *   u8     scope       1: the request (the fields the application knows before the
 *                      statement), 2: the whole record (also beneficiary, disclosed, result)
 *   16     nonce       random, one per record: a seal copied onto another row is a replay
 *   32     tag         HMAC-SHA256(key, message)
 *
 * message = "rempart access seal v1\n", scope, nonce, then in leaf.ts's encodings: opt64
 * insurer_id, professional_id, site_id, staff_id; optstr client_id, session_ref, ip,
 * device, purpose; for scope 2 only, opt64 beneficiary_id, list disclosed, optstr result.
 *
 * Why two scopes. The disclosure functions (migrations 019, 022) decide the beneficiary,
 * the answer and the domains disclosed inside the one statement that reads: the
 * application learns them only from the answer, and sealing them then would cost a second
 * round trip on every rights check. So their records carry a request seal, computed before
 * the statement and passed as a parameter; every other writer knows the whole record and
 * seals it all. The id, time and transaction id are the database's: the nonce stands for
 * the record's identity, and the sequencer refuses a nonce seen before.
 */
export type SealScope = 'request' | 'record';

/** What the application knows of a record before it is written. */
export interface SealedRequest {
  insurerId: number | null;
  professionalId: number | null;
  siteId: number | null;
  staffId: number | null;
  clientId: string | null;
  sessionRef: string | null;
  ip: string | null;
  device: string | null;
  purpose: string | null;
}

/** What only the whole record says: sealed when the writer knows it. */
export interface SealedOutcome {
  beneficiaryId: number | null;
  disclosed: readonly string[];
  result: string | null;
}

export type SealCheck = 'valid' | 'invalid' | 'unsealed';

const VERSION = 1;
const SCOPES: Readonly<Record<SealScope, number>> = { request: 1, record: 2 };
const NONCE_BYTES = 16;
const HEADER = Buffer.from('rempart access seal v1\n', 'ascii');

export class AccessSealer {
  constructor(private readonly key: KeyObject) {
    if (key.type !== 'secret' || (key.symmetricKeySize ?? 0) < 32) throw new RempartError('AUDIT_SEAL_KEY_MISSING', 'clé secrète de 32 octets attendue');
  }

  /** A fresh seal: of the whole record when the outcome is given, of the request otherwise. */
  seal(request: SealedRequest, outcome?: SealedOutcome): Buffer {
    const scope: SealScope = outcome === undefined ? 'request' : 'record';
    const head = Buffer.concat([Buffer.from([VERSION, SCOPES[scope]]), randomBytes(NONCE_BYTES)]);
    return Buffer.concat([head, this.tag(head, request, outcome)]);
  }

  /** Whether a stored record's seal was made by this key over the record's fields. */
  check(record: StoredAccessRecord): SealCheck {
    const seal = record.seal ?? null;
    if (seal === null) return 'unsealed';
    if (seal.length !== SEAL_BYTES || seal[0] !== VERSION) return 'invalid';
    const scope = seal[1] === SCOPES.record ? 'record' : seal[1] === SCOPES.request ? 'request' : undefined;
    if (scope === undefined) return 'invalid';
    const head = Buffer.from(seal.subarray(0, 2 + NONCE_BYTES));
    const expected = this.tag(head, requestOf(record), scope === 'record' ? record : undefined);
    return timingSafeEqual(expected, seal.subarray(2 + NONCE_BYTES)) ? 'valid' : 'invalid';
  }

  private tag(head: Buffer, request: SealedRequest, outcome: SealedOutcome | undefined): Buffer {
    const out = new Writer();
    out.raw(HEADER);
    out.raw(head);
    for (const value of [request.insurerId, request.professionalId, request.siteId, request.staffId]) out.optional(value, (present) => out.i64(BigInt(present)));
    for (const value of [request.clientId, request.sessionRef, request.ip, request.device, request.purpose]) out.optional(value, (present) => out.text(present));
    if (outcome !== undefined) {
      out.optional(outcome.beneficiaryId, (present) => out.i64(BigInt(present)));
      out.u32(outcome.disclosed.length);
      for (const item of outcome.disclosed) out.text(item);
      out.optional(outcome.result, (present) => out.text(present));
    }
    return createHmac('sha256', this.key).update(out.bytes()).digest();
  }
}

/** The nonce of a seal: what makes a copied seal a replay (null when the seal cannot be one). */
export function sealNonce(seal: Uint8Array | null | undefined): Buffer | null {
  return seal?.length === SEAL_BYTES ? Buffer.from(seal.subarray(2, 2 + NONCE_BYTES)) : null;
}

function requestOf(record: StoredAccessRecord): SealedRequest {
  const { insurerId, professionalId, siteId, clientId, sessionRef, ip, device, purpose } = record;
  return { insurerId, professionalId, siteId, staffId: record.staffId ?? null, clientId, sessionRef, ip, device, purpose };
}

/**
 * The sealer of this process, installed once by whoever starts it (the server, a CLI
 * command, the test set-up) and read by every writer of the log: the writers are many
 * (refusals at the door, staff exports, incident rehearsals, the disclosure functions'
 * parameters) and a missing key must stop them all rather than let one write unsealed.
 * Installed as a loader, so that a command that writes no record never reads the key.
 */
let source: (() => AccessSealer) | undefined;
let loaded: AccessSealer | undefined;

export function installAccessSealer(sealer: AccessSealer | (() => AccessSealer)): void {
  source = typeof sealer === 'function' ? sealer : () => sealer;
  loaded = undefined;
}

export function accessSealer(): AccessSealer {
  if (source === undefined) throw new RempartError('AUDIT_SEAL_KEY_MISSING', 'aucune clé de sceau installée dans ce processus');
  loaded ??= source();
  return loaded;
}
