/**
 * The browser side of the passkey ceremonies, served as /static/passkeys.js: plain
 * WebAuthn calls, base64url in and out, nothing else (no third-party script on the pages).
 */
export const passkeysScript = `'use strict';
const enc = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const dec = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const say = (text) => { const out = document.querySelector('#passkey-status'); if (out) out.textContent = text; };
async function post(url, body) {
  const response = await fetch(url, { method: 'POST', credentials: 'same-origin',
    headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const json = await response.json();
  if (!response.ok) throw new Error(json.message || response.status);
  return json;
}
document.querySelector('#passkey-register')?.addEventListener('click', async () => {
  try {
    const o = await post('/auth/passkey/register/options');
    const c = await navigator.credentials.create({ publicKey: { ...o, challenge: dec(o.challenge), user: { ...o.user, id: dec(o.user.id) },
      excludeCredentials: (o.excludeCredentials || []).map((x) => ({ ...x, id: dec(x.id) })) } });
    await post('/auth/passkey/register', { id: c.id, rawId: enc(c.rawId), type: c.type, clientExtensionResults: c.getClientExtensionResults(),
      response: { clientDataJSON: enc(c.response.clientDataJSON), attestationObject: enc(c.response.attestationObject),
        transports: c.response.getTransports ? c.response.getTransports() : [] } });
    say('Clé d’accès enregistrée.');
  } catch (error) { say('Échec : ' + error.message); }
});
document.querySelector('#passkey-login')?.addEventListener('click', async () => {
  try {
    const o = await post('/auth/passkey/login/options');
    const c = await navigator.credentials.get({ publicKey: { ...o, challenge: dec(o.challenge),
      allowCredentials: (o.allowCredentials || []).map((x) => ({ ...x, id: dec(x.id) })) } });
    await post('/auth/passkey/login', { id: c.id, rawId: enc(c.rawId), type: c.type, clientExtensionResults: {},
      response: { clientDataJSON: enc(c.response.clientDataJSON), authenticatorData: enc(c.response.authenticatorData),
        signature: enc(c.response.signature), userHandle: c.response.userHandle ? enc(c.response.userHandle) : undefined } });
    location.href = '/moi';
  } catch (error) { say('Échec : ' + error.message); }
});
`;
