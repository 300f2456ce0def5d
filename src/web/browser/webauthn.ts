/** WebAuthn's binary fields to and from the base64url the API speaks. */
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

/** The browser's answer to a login or step-up challenge, as the API reads it. */
export async function assertion(options: RequestOptionsJson): Promise<object> {
  const publicKey = { ...options, challenge: decode(options.challenge), allowCredentials: descriptors(options.allowCredentials) } as PublicKeyCredentialRequestOptions;
  const credential = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
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
  const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
  const response = credential.response as AuthenticatorAttestationResponse;
  return {
    id: credential.id, rawId: encode(credential.rawId), type: credential.type, clientExtensionResults: credential.getClientExtensionResults(),
    response: { clientDataJSON: encode(response.clientDataJSON), attestationObject: encode(response.attestationObject), transports: response.getTransports() },
  };
}
