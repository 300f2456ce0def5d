/**
 * Passkey ceremonies and the person's own revocations (the home page and /moi): handlers
 * attached here, none inline on the pages.
 */
import { safeReturnPath } from '../../http/return-path.js';
import { failure, post, say } from './api.js';
import { stepUp } from './step-up.js';
import { assertion, attestation, type CreationOptionsJson, type RequestOptionsJson } from './webauthn.js';

/** Runs a button's action, its failure said in the status element next to it. */
function onClick(target: Element | null, status: string, action: () => Promise<void>): void {
  target?.addEventListener('click', () => {
    action().catch((error: unknown) => say(status, failure(error)));
  });
}

onClick(document.querySelector('#passkey-register'), '#passkey-status', async () => {
  await post('/auth/passkey/register', await attestation(await post<CreationOptionsJson>('/auth/passkey/register/options')));
  say('#passkey-status', 'Clé d’accès enregistrée.');
});

onClick(document.querySelector('#passkey-login'), '#passkey-status', async () => {
  await post('/auth/passkey/login', await assertion(await post<RequestOptionsJson>('/auth/passkey/login/options')));
  // Back to the page that sent the person to log in, else their account.
  location.href = safeReturnPath(new URLSearchParams(location.search).get('retour')) ?? '/moi';
});

onClick(document.querySelector('#step-up'), '#step-up-status', async () => {
  await stepUp();
  location.reload();
});

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-revoke-passkey]')) {
  onClick(button, '#revoke-status', async () => {
    await post(`/auth/passkeys/${encodeURIComponent(button.dataset.revokePasskey ?? '')}/revoke`);
    location.reload();
  });
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-revoke-session]')) {
  onClick(button, '#revoke-status', async () => {
    await post(`/auth/sessions/${encodeURIComponent(button.dataset.revokeSession ?? '')}/revoke`);
    // Closing this very session leaves nothing to show here: back to the home page.
    if (button.dataset.current) location.href = '/';
    else location.reload();
  });
}
