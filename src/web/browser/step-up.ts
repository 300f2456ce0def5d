/**
 * A write the API refused for want of a fresh step-up (`AUTH_STEP_UP_REQUIRED`): the page
 * offers the passkey (#step-up-offer, #step-up), then makes the same write again.
 */
import { ApiError, failure, post, say } from './api.js';
import { assertion, type RequestOptionsJson } from './webauthn.js';

let retry: (() => Promise<void>) | undefined;

export const needsStepUp = (error: unknown): boolean => error instanceof ApiError && error.code === 'AUTH_STEP_UP_REQUIRED';

/** Shows the offer with the write to make again once presence is proven, or hides it (undefined). */
export function offerStepUp(again: (() => Promise<void>) | undefined): void {
  retry = again;
  document.querySelector<HTMLElement>('#step-up-offer')?.toggleAttribute('hidden', again === undefined);
}

/** Wires the offer's button: the passkey ceremony, then the write again; a failure is said in `status`. */
export function stepUpButton(status: string): void {
  document.querySelector('#step-up')?.addEventListener('click', () => {
    (async () => {
      await post('/auth/step-up', await assertion(await post<RequestOptionsJson>('/auth/step-up/options')));
      const again = retry;
      offerStepUp(undefined);
      await again?.();
    })().catch((error: unknown) => say(status, `${failure(error)} Sans clé d’accès sur cet appareil, enregistrez-en une depuis « Mon compte ».`));
  });
}
