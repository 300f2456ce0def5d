/**
 * The browser side of the passkey ceremonies and of the person's own revocations, served as
 * /static/passkeys.js: plain WebAuthn calls, base64url in and out, handlers attached here
 * (no inline script nor handler on the pages, no third-party script).
 */
export const passkeysScript = `'use strict';
const enc = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const dec = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const say = (where, text) => { const out = document.querySelector(where); if (out) out.textContent = text; };
async function post(url, body) {
  const response = await fetch(url, { method: 'POST', credentials: 'same-origin',
    headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const json = await response.json();
  if (!response.ok) throw new Error(json.message || response.status);
  return json;
}
async function assertion(o) {
  const c = await navigator.credentials.get({ publicKey: { ...o, challenge: dec(o.challenge),
    allowCredentials: (o.allowCredentials || []).map((x) => ({ ...x, id: dec(x.id) })) } });
  return { id: c.id, rawId: enc(c.rawId), type: c.type, clientExtensionResults: {},
    response: { clientDataJSON: enc(c.response.clientDataJSON), authenticatorData: enc(c.response.authenticatorData),
      signature: enc(c.response.signature), userHandle: c.response.userHandle ? enc(c.response.userHandle) : undefined } };
}
document.querySelector('#passkey-register')?.addEventListener('click', async () => {
  try {
    const o = await post('/auth/passkey/register/options');
    const c = await navigator.credentials.create({ publicKey: { ...o, challenge: dec(o.challenge), user: { ...o.user, id: dec(o.user.id) },
      excludeCredentials: (o.excludeCredentials || []).map((x) => ({ ...x, id: dec(x.id) })) } });
    await post('/auth/passkey/register', { id: c.id, rawId: enc(c.rawId), type: c.type, clientExtensionResults: c.getClientExtensionResults(),
      response: { clientDataJSON: enc(c.response.clientDataJSON), attestationObject: enc(c.response.attestationObject),
        transports: c.response.getTransports ? c.response.getTransports() : [] } });
    say('#passkey-status', 'Clé d’accès enregistrée.');
  } catch (error) { say('#passkey-status', 'Échec : ' + error.message); }
});
document.querySelector('#passkey-login')?.addEventListener('click', async () => {
  try {
    await post('/auth/passkey/login', await assertion(await post('/auth/passkey/login/options')));
    location.href = '/moi';
  } catch (error) { say('#passkey-status', 'Échec : ' + error.message); }
});
document.querySelector('#step-up')?.addEventListener('click', async () => {
  try {
    await post('/auth/step-up', await assertion(await post('/auth/step-up/options')));
    location.reload();
  } catch (error) { say('#step-up-status', 'Échec : ' + error.message); }
});
async function revoke(url, then) {
  try { await post(url); then(); } catch (error) { say('#revoke-status', 'Échec : ' + error.message); }
}
for (const button of document.querySelectorAll('[data-revoke-passkey]')) {
  button.addEventListener('click', () => revoke('/auth/passkeys/' + encodeURIComponent(button.dataset.revokePasskey) + '/revoke', () => location.reload()));
}
for (const button of document.querySelectorAll('[data-revoke-session]')) {
  // Closing this very session leaves nothing to show here: back to the home page.
  const then = button.dataset.current ? () => { location.href = '/'; } : () => location.reload();
  button.addEventListener('click', () => revoke('/auth/sessions/' + button.dataset.revokeSession + '/revoke', then));
}
`;
