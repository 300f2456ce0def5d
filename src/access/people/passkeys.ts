import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Database } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';

const CHALLENGE_SECONDS = 300;

export interface RelyingParty {
  /** The platform's domain: a passkey works only there, so a look-alike site gets nothing. */
  rpID: string;
  origin: string;
}

/**
 * Passkeys for professionals already identified once through Pro Santé Connect: user
 * verification required, challenges single-use and short-lived, cross-origin and
 * counter regressions refused, `verified === true` demanded.
 */
export class Passkeys {
  constructor(
    private readonly db: Database,
    private readonly rp: RelyingParty,
  ) {}

  async registrationOptions(professionalId: number, rpps: string, now: Date): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.db.transaction('platform', (tx) =>
      tx.query<{ credential_id: string }>('SELECT credential_id FROM passkey WHERE professional_id = $1', [professionalId]),
    );
    const options = await generateRegistrationOptions({
      rpName: 'Rempart',
      rpID: this.rp.rpID,
      userName: rpps,
      userID: new TextEncoder().encode(`rempart:${professionalId}`),
      attestationType: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      excludeCredentials: existing.rows.map((row) => ({ id: row.credential_id })),
    });
    await this.storeChallenge(options.challenge, 'registration', professionalId, now);
    return options;
  }

  async register(professionalId: number, response: RegistrationResponseJSON, now: Date): Promise<void> {
    const challenge = await this.takeChallenge(response.response.clientDataJSON, 'registration', professionalId, now);
    const verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: this.rp.origin,
      expectedRPID: this.rp.rpID,
      requireUserVerification: true,
    }).catch(() => undefined);
    if (verification?.verified !== true) throw new RempartError('AUTH_PASSKEY_INVALID', 'enregistrement refusé');
    const { credential } = verification.registrationInfo;
    await this.db.transaction('platform', (tx) =>
      tx.query('INSERT INTO passkey (credential_id, professional_id, public_key, counter, transports) VALUES ($1, $2, $3, $4, $5)', [
        credential.id, professionalId, Buffer.from(credential.publicKey), credential.counter, credential.transports ?? [],
      ]),
    );
  }

  async authenticationOptions(now: Date): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({ rpID: this.rp.rpID, userVerification: 'required' });
    await this.storeChallenge(options.challenge, 'authentication', null, now);
    return options;
  }

  /** Returns the professional the passkey belongs to. */
  async authenticate(response: AuthenticationResponseJSON, now: Date): Promise<number> {
    const challenge = await this.takeChallenge(response.response.clientDataJSON, 'authentication', null, now);
    const stored = await this.db.transaction('platform', (tx) =>
      tx.query<{ professional_id: number; public_key: Uint8Array; counter: number }>(
        'SELECT professional_id, public_key, counter FROM passkey WHERE credential_id = $1',
        [response.id],
      ),
    );
    const credential = stored.rows[0];
    if (!credential) throw new RempartError('AUTH_PASSKEY_INVALID', 'clé inconnue');
    const verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: this.rp.origin,
      expectedRPID: this.rp.rpID,
      requireUserVerification: true,
      credential: { id: response.id, publicKey: new Uint8Array(credential.public_key), counter: Number(credential.counter) },
    }).catch(() => undefined);
    if (verification?.verified !== true) throw new RempartError('AUTH_PASSKEY_INVALID', 'assertion refusée');
    await this.db.transaction('platform', (tx) =>
      tx.query('UPDATE passkey SET counter = $2, last_used_at = $3 WHERE credential_id = $1', [response.id, verification.authenticationInfo.newCounter, now]),
    );
    return credential.professional_id;
  }

  private async storeChallenge(challenge: string, purpose: string, professionalId: number | null, now: Date): Promise<void> {
    await this.db.transaction('platform', async (tx) => {
      // Unused challenges are swept here, so the table holds at most five minutes of them.
      await tx.query('DELETE FROM webauthn_challenge WHERE expires_at < $1', [now]);
      await tx.query('INSERT INTO webauthn_challenge (challenge, purpose, professional_id, expires_at) VALUES ($1, $2, $3, $4)', [
        challenge, purpose, professionalId, new Date(now.getTime() + CHALLENGE_SECONDS * 1000),
      ]);
    });
  }

  /** A challenge is used once, before it expires, for its purpose, and (registration) by its requester. */
  private async takeChallenge(clientDataJSON: string, purpose: string, professionalId: number | null, now: Date): Promise<string> {
    const clientData = parseClientData(clientDataJSON);
    if (clientData.crossOrigin === true) throw new RempartError('AUTH_PASSKEY_INVALID', 'appel depuis un autre site');
    const taken = await this.db.transaction('platform', (tx) =>
      tx.query<{ challenge: string }>(
        `DELETE FROM webauthn_challenge WHERE challenge = $1 AND purpose = $2 AND expires_at > $3
           AND professional_id IS NOT DISTINCT FROM $4 RETURNING challenge`,
        [clientData.challenge ?? '', purpose, now, professionalId],
      ),
    );
    const row = taken.rows[0];
    if (!row) throw new RempartError('AUTH_PASSKEY_INVALID', 'défi inconnu, expiré ou déjà utilisé');
    return row.challenge;
  }
}

function parseClientData(clientDataJSON: string): { challenge?: string; crossOrigin?: boolean } {
  try {
    return JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: string; crossOrigin?: boolean };
  } catch {
    throw new RempartError('AUTH_PASSKEY_INVALID', 'données client illisibles');
  }
}
