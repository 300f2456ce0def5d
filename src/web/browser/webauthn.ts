/**
 * The pages' WebAuthn calls: binary fields to and from the base64url the API speaks, and
 * every failure of the browser's ceremony said in French with what to do next (one place).
 */
export const encode = (buffer: ArrayBuffer): string =>
  btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const decode = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));

interface Descriptor { id: string; type: 'public-key'; transports?: AuthenticatorTransport[] }
export interface RequestOptionsJson { challenge: string; allowCredentials?: Descriptor[]; [option: string]: unknown }
export interface CreationOptionsJson {
  challenge: string;
  user: { id: string; name: string; displayName: string };
  excludeCredentials?: Descriptor[];
  [option: string]: unknown;
}

const descriptors = (list: Descriptor[] | undefined): PublicKeyCredentialDescriptor[] => (list ?? []).map((d) => ({ ...d, id: decode(d.id) }));

/** No WebAuthn in this browser at all (an old one, or a page opened outside a secure context). */
export const NO_WEBAUTHN = 'Ce navigateur ne sait pas utiliser les clés d’accès : mettez-le à jour ou ouvrez la plateforme dans un autre navigateur, ou connectez-vous avec Pro Santé Connect.';

/**
 * What a person reads when the browser's WebAuthn call fails, by the exception's name (the
 * browser's own message is English and says nothing of what to do): each with the next step.
 */
const ceremonyFailures: Readonly<Record<string, string>> = {
  // Cancelled by the person, timed out, or no passkey of this account on the device: the browser does not say which, on purpose.
  NotAllowedError: 'La clé d’accès n’a pas été utilisée : demande annulée, délai dépassé ou aucune clé de votre compte sur cet appareil. Recommencez et validez sur l’appareil (empreinte, visage ou code) ; sans clé ici, connectez-vous avec Pro Santé Connect.',
  InvalidStateError: 'Cet appareil porte déjà une clé d’accès de votre compte : servez-vous-en pour vous connecter, ou retirez-la depuis « Mon compte » avant d’en enregistrer une nouvelle.',
  SecurityError: 'Le navigateur refuse la clé d’accès pour cette adresse : ouvrez la plateforme à son adresse habituelle (en https), puis recommencez.',
  AbortError: 'La demande de clé d’accès a été interrompue avant la fin : recommencez.',
  NotSupportedError: 'Cet appareil ne sait pas créer ou utiliser une clé d’accès de ce type : essayez un autre appareil ou une clé de sécurité, ou connectez-vous avec Pro Santé Connect.',
  ConstraintError: 'Cet appareil ne peut pas vérifier que c’est bien vous (ni empreinte, ni visage, ni code configuré) : configurez-en un dans ses réglages, ou utilisez un autre appareil.',
};

const unknownFailure = 'La clé d’accès n’a pas pu être utilisée : recommencez ; si cela se reproduit, connectez-vous avec Pro Santé Connect.';

/** The French sentence of a failed WebAuthn call: never the browser's English, even for a failure it did not name. */
export function webAuthnMessage(error: unknown): string {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  // Own names only: « constructor » is not a failure the table knows.
  return Object.hasOwn(ceremonyFailures, name) ? ceremonyFailures[name] ?? unknownFailure : unknownFailure;
}

/** Runs a WebAuthn call, its failure turned into the French sentence; none when the browser has no WebAuthn. */
async function ceremony(call: (credentials: CredentialsContainer) => Promise<Credential | null>): Promise<PublicKeyCredential> {
  if (typeof PublicKeyCredential === 'undefined' || typeof navigator === 'undefined' || !('credentials' in navigator)) throw new Error(NO_WEBAUTHN);
  const credential = await call(navigator.credentials).catch((error: unknown) => {
    throw new Error(webAuthnMessage(error));
  });
  if (!(credential instanceof PublicKeyCredential)) throw new Error(unknownFailure);
  return credential;
}

/** The browser's answer to a login or step-up challenge, as the API reads it. */
export async function assertion(options: RequestOptionsJson): Promise<object> {
  const publicKey = { ...options, challenge: decode(options.challenge), allowCredentials: descriptors(options.allowCredentials) } as PublicKeyCredentialRequestOptions;
  const credential = await ceremony((credentials) => credentials.get({ publicKey }));
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    id: credential.id, rawId: encode(credential.rawId), type: credential.type, clientExtensionResults: {},
    response: {
      clientDataJSON: encode(response.clientDataJSON), authenticatorData: encode(response.authenticatorData), signature: encode(response.signature),
      userHandle: response.userHandle ? encode(response.userHandle) : undefined,
    },
  };
}

/** A new passkey made by the authenticator, as the API registers it. */
export async function attestation(options: CreationOptionsJson): Promise<object> {
  const publicKey = {
    ...options, challenge: decode(options.challenge), user: { ...options.user, id: decode(options.user.id) }, excludeCredentials: descriptors(options.excludeCredentials),
    // The other members (rp, pubKeyCredParams…) come as the server wrote them: JSON already in WebAuthn's shape.
  } as unknown as PublicKeyCredentialCreationOptions;
  const credential = await ceremony((credentials) => credentials.create({ publicKey }));
  const response = credential.response as AuthenticatorAttestationResponse;
  return {
    id: credential.id, rawId: encode(credential.rawId), type: credential.type, clientExtensionResults: credential.getClientExtensionResults(),
    response: { clientDataJSON: encode(response.clientDataJSON), attestationObject: encode(response.attestationObject), transports: response.getTransports() },
  };
}
