/**
 * The passkey step-up a page offers when the API refuses an action for want of a recent
 * proof (AUTH_STEP_UP_REQUIRED: a sensitive action; AUTH_FRESH_PROOF_REQUIRED: an enrolment,
 * software keys, a delegation, a bank account): confirm with a passkey, then the action again.
 */
import { ApiError, failure, post, say } from './api.js';
import { assertion, type RequestOptionsJson } from './webauthn.js';

const PROOF_CODES: readonly (string | undefined)[] = ['AUTH_STEP_UP_REQUIRED', 'AUTH_FRESH_PROOF_REQUIRED'];

/** The passkey's proof of presence (POST /auth/step-up): the session may then act for five minutes, from here. */
export async function stepUp(): Promise<void> {
  await post('/auth/step-up', await assertion(await post<RequestOptionsJson>('/auth/step-up/options')));
}

/** What an action refused says: `why` when a step-up lifts the refusal, else the refusal itself. */
export type Refused = (error: unknown, retry: () => Promise<void>, why: string) => void;

/**
 * Wires a page's offer (an element hidden until needed, holding one button) to its status
 * line. The returned function is the actions' catch: a refusal a step-up lifts shows the
 * offer and keeps the action; the button confirms identity, hides the offer and retries it.
 */
export function stepUpOffer(offerSelector: string, statusSelector: string): Refused {
  const offer = document.querySelector<HTMLElement>(offerSelector);
  let retry: (() => Promise<void>) | undefined;
  offer?.querySelector('button')?.addEventListener('click', () => {
    (async () => {
      await stepUp();
      offer.hidden = true;
      await retry?.();
    })().catch((error: unknown) => say(statusSelector, `${failure(error)} Sans clé d’accès sur cet appareil, enregistrez-en une depuis « Mon compte ».`));
  });
  return (error, again, why) => {
    const lifted = error instanceof ApiError && PROOF_CODES.includes(error.code);
    retry = lifted ? again : undefined;
    if (offer) offer.hidden = !lifted;
    say(statusSelector, lifted ? why : failure(error));
  };
}
