/**
 * Actions the API refuses until the person proves their presence again (a passkey assertion
 * under five minutes old, given from here for an enrolment): the page offers the step-up button, and once
 * the person confirmed with their passkey, the refused action runs again by itself.
 */
import { ApiError, failure, post, say } from './api.js';
import { assertion, type RequestOptionsJson } from './webauthn.js';

/** A recent proof (sensitive actions) or a fresh strong one from here (enrolments): a passkey step-up gives both. */
const PROOF_CODES = new Set(['AUTH_STEP_UP_REQUIRED', 'AUTH_FRESH_PROOF_REQUIRED']);

interface StepUpPlace {
  /** Where the outcome is said (a role=status element). */
  status: string;
  /** The hidden paragraph holding the step-up button. */
  offer: string;
  /** Why this action asks for it, in the person's words. */
  why: string;
}

/** Runs `action`; when the API asks for a step-up, offers it with `place` and keeps the action to run again after. */
export function stepUpGuard(place: StepUpPlace): (action: () => Promise<void>) => Promise<void> {
  let retry: (() => Promise<void>) | undefined;
  const offer = document.querySelector<HTMLElement>(place.offer);
  const guarded = async (action: () => Promise<void>): Promise<void> => {
    try {
      await action();
      offer?.setAttribute('hidden', '');
    } catch (error) {
      const stepUp = error instanceof ApiError && PROOF_CODES.has(error.code ?? '');
      retry = stepUp ? action : undefined;
      offer?.toggleAttribute('hidden', !stepUp);
      say(place.status, stepUp ? `${place.why} : confirmez avec votre clé d’accès, l’action reprendra ensuite.` : failure(error));
    }
  };
  offer?.querySelector('button')?.addEventListener('click', () => {
    (async () => {
      await post('/auth/step-up', await assertion(await post<RequestOptionsJson>('/auth/step-up/options')));
      offer.setAttribute('hidden', '');
      if (retry) await guarded(retry);
    })().catch((error: unknown) => say(place.status, `${failure(error)} Sans clé d’accès sur cet appareil, enregistrez-en une depuis « Mon compte ».`));
  });
  return guarded;
}
