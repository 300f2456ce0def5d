import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/** What a ceremony may be bent to, for attack tests. */
export interface Tamper {
  origin?: string;
  rpId?: string;
  crossOrigin?: boolean;
  userVerified?: boolean;
  counter?: number;
  flipSignatureBit?: boolean;
}

/**
 * A software passkey (ES256), enough to play both WebAuthn ceremonies in tests the way a
 * platform authenticator would, or to bend them the way an attacker would.
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly cosePublicKey: Uint8Array;
  counter = 0;

  constructor(
    private readonly origin: string,
    private readonly rpId: string,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.cosePublicKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x ?? '', 'base64url')],
        [-3, Buffer.from(jwk.y ?? '', 'base64url')],
      ]),
    );
  }

  create(options: PublicKeyCredentialCreationOptionsJSON, tamper: Tamper = {}): RegistrationResponseJSON {
    const clientData = this.clientData('webauthn.create', options.challenge, tamper);
    const attested = Buffer.concat([Buffer.alloc(16), Buffer.from([0, this.credentialId.length]), this.credentialId, Buffer.from(this.cosePublicKey)]);
    const authData = Buffer.concat([this.authDataHead(tamper, 0x40, 0), attested]);
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]) as never);
    return {
      id: b64(this.credentialId),
      rawId: b64(this.credentialId),
      type: 'public-key',
      response: { clientDataJSON: b64(clientData), attestationObject: b64(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
    };
  }

  get(challenge: string, tamper: Tamper = {}): AuthenticationResponseJSON {
    this.counter += 1;
    const clientData = this.clientData('webauthn.get', challenge, tamper);
    const authData = this.authDataHead(tamper, 0, tamper.counter ?? this.counter);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.privateKey);
    if (tamper.flipSignatureBit) signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 1;
    return {
      id: b64(this.credentialId),
      rawId: b64(this.credentialId),
      type: 'public-key',
      response: { clientDataJSON: b64(clientData), authenticatorData: b64(authData), signature: b64(signature) },
      clientExtensionResults: {},
    };
  }

  private clientData(type: string, challenge: string, tamper: Tamper): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: tamper.origin ?? this.origin, crossOrigin: tamper.crossOrigin ?? false }));
  }

  /** rpIdHash, flags (user present, user verified unless tampered, extra), signature counter. */
  private authDataHead(tamper: Tamper, extraFlags: number, counter: number): Buffer {
    const flags = 0x01 | (tamper.userVerified === false ? 0 : 0x04) | extraFlags;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(tamper.rpId ?? this.rpId), Buffer.from([flags]), count]);
  }
}
