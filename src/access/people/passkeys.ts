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
import { accountColumns, type AccountRef } from './accounts.js';
import type { ProvedFrom } from './sessions.js';

const CHALLENGE_SECONDS = 300;

export interface RelyingParty {
  /** The platform's domain: a passkey works only there, so a look-alike site gets nothing. */
  rpID: string;
  origin: string;
}

type Purpose = 'registration' | 'authentication' | 'step_up';

/**
 * Passkeys for people already identified once through the OpenID provider: user
 * verification required, challenges single-use and short-lived, cross-origin and
 * counter regressions refused, `verified === true` demanded.
 */
export class Passkeys {
  constructor(
    private readonly db: Database,
    private readonly rp: RelyingParty,
  ) {}

  async registrationOptions(account: AccountRef, userName: string, now: Date): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const options = await generateRegistrationOptions({
      rpName: 'Rempart',
      rpID: this.rp.rpID,
      userName,
      userID: new TextEncoder().encode(`rempart:${account.kind}:${account.id}`),
      attestationType: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      excludeCredentials: (await this.credentialsOf(account)).map((id) => ({ id })),
    });
    await this.storeChallenge(options.challenge, 'registration', account, now);
    return options;
  }

  /** `from`: where the registration was made, shown to the passkey's owner. */
  async register(account: AccountRef, response: RegistrationResponseJSON, now: Date, from: ProvedFrom): Promise<void> {
    const challenge = await this.takeChallenge(response.response.clientDataJSON, 'registration', account, now);
    const verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: this.rp.origin,
      expectedRPID: this.rp.rpID,
      requireUserVerification: true,
    }).catch(() => undefined);
    if (verification?.verified !== true) throw new RempartError('AUTH_PASSKEY_INVALID', 'enregistrement refusé');
    const { credential } = verification.registrationInfo;
    const [professionalId, staffId] = accountColumns(account);
    await this.db.transaction('platform', (tx) =>
      tx.query(
        `INSERT INTO passkey (credential_id, professional_id, staff_id, public_key, counter, transports, created_at, registered_ip, registered_device)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [credential.id, professionalId, staffId, Buffer.from(credential.publicKey), credential.counter, credential.transports ?? [], now, from.ip, from.device],
      ),
    );
  }

  /** Login: any of the platform's passkeys may answer (discoverable credentials). */
  async authenticationOptions(now: Date): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({ rpID: this.rp.rpID, userVerification: 'required' });
    await this.storeChallenge(options.challenge, 'authentication', null, now);
    return options;
  }

  /** Step-up: only the logged-in person's own passkeys may answer. */
  async stepUpOptions(account: AccountRef, now: Date): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const allowCredentials = (await this.credentialsOf(account)).map((id) => ({ id }));
    if (allowCredentials.length === 0) throw new RempartError('AUTH_PASSKEY_INVALID', 'aucune clé d’accès enregistrée : reconnectez-vous avec la carte CPS');
    const options = await generateAuthenticationOptions({ rpID: this.rp.rpID, userVerification: 'required', allowCredentials });
    await this.storeChallenge(options.challenge, 'step_up', account, now);
    return options;
  }

  /** Returns the account the passkey belongs to. */
  async authenticate(response: AuthenticationResponseJSON, now: Date): Promise<AccountRef> {
    return this.assert(response, 'authentication', null, now);
  }

  /** A fresh proof of presence by the session's own account. */
  async stepUp(account: AccountRef, response: AuthenticationResponseJSON, now: Date): Promise<void> {
    const owner = await this.assert(response, 'step_up', account, now);
    if (owner.kind !== account.kind || owner.id !== account.id) throw new RempartError('AUTH_PASSKEY_INVALID', 'clé d’un autre compte');
  }

  private async assert(response: AuthenticationResponseJSON, purpose: Purpose, requester: AccountRef | null, now: Date): Promise<AccountRef> {
    const challenge = await this.takeChallenge(response.response.clientDataJSON, purpose, requester, now);
    const stored = await this.db.transaction('platform', (tx) =>
      tx.query<{ professional_id: number | null; staff_id: number | null; public_key: Uint8Array; counter: number }>(
        'SELECT professional_id, staff_id, public_key, counter FROM passkey WHERE credential_id = $1',
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
    return credential.staff_id === null
      ? { kind: 'professional', id: Number(credential.professional_id) }
      : { kind: 'staff', id: Number(credential.staff_id) };
  }

  private async credentialsOf(account: AccountRef): Promise<string[]> {
    const [professionalId, staffId] = accountColumns(account);
    const found = await this.db.transaction('platform', (tx) =>
      tx.query<{ credential_id: string }>('SELECT credential_id FROM passkey WHERE professional_id = $1 OR staff_id = $2', [professionalId, staffId]),
    );
    return found.rows.map((row) => row.credential_id);
  }

  private async storeChallenge(challenge: string, purpose: Purpose, requester: AccountRef | null, now: Date): Promise<void> {
    const [professionalId, staffId] = accountColumns(requester);
    await this.db.transaction('platform', async (tx) => {
      // Unused challenges are swept here, so the table holds at most five minutes of them.
      await tx.query('DELETE FROM webauthn_challenge WHERE expires_at < $1', [now]);
      await tx.query('INSERT INTO webauthn_challenge (challenge, purpose, professional_id, staff_id, expires_at) VALUES ($1, $2, $3, $4, $5)', [
        challenge, purpose, professionalId, staffId, new Date(now.getTime() + CHALLENGE_SECONDS * 1000),
      ]);
    });
  }

  /** A challenge is used once, before it expires, for its purpose, and (registration, step-up) by its requester. */
  private async takeChallenge(clientDataJSON: string, purpose: Purpose, requester: AccountRef | null, now: Date): Promise<string> {
    const [professionalId, staffId] = accountColumns(requester);
    const clientData = parseClientData(clientDataJSON);
    if (clientData.crossOrigin === true) throw new RempartError('AUTH_PASSKEY_INVALID', 'appel depuis un autre site');
    const taken = await this.db.transaction('platform', (tx) =>
      tx.query<{ challenge: string }>(
        `DELETE FROM webauthn_challenge WHERE challenge = $1 AND purpose = $2 AND expires_at > $3
           AND professional_id IS NOT DISTINCT FROM $4 AND staff_id IS NOT DISTINCT FROM $5 RETURNING challenge`,
        [clientData.challenge ?? '', purpose, now, professionalId, staffId],
      ),
    );
    const row = taken.rows[0];
    if (!row) throw new RempartError('AUTH_PASSKEY_INVALID', 'défi inconnu, expiré ou déjà utilisé');
    return row.challenge;
  }
}

function parseClientData(clientDataJSON: string): { challenge?: string; crossOrigin?: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  // Valid JSON that is no object (null, a number) is as unreadable as invalid JSON.
  if (typeof parsed !== 'object' || parsed === null) throw new RempartError('AUTH_PASSKEY_INVALID', 'données client illisibles');
  return parsed;
}
