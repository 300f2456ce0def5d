import { Layout } from './layout.js';
import type { Shell } from './shell.js';

/** What to do next after each kind of refusal, in words. */
function nextStep(status: number): string {
  if (status === 403) return 'Revenez à la page précédente, rechargez-la et recommencez. Si cela se reproduit, prévenez le support de votre structure.';
  if (status === 404) return 'Vérifiez l’adresse, ou repartez de l’accueil.';
  if (status === 429 || status === 503) return 'Patientez quelques minutes, puis recommencez.';
  return 'Repartez de l’accueil et recommencez ; si cela se reproduit, prévenez le support.';
}

/** A refusal met by a person, as a French page: what happened and what to do. */
export function ErrorPage({ shell, code, message, status }: { shell: Shell; code: string; message: string; status: number }): JSX.Element {
  return (
    <Layout title="Demande refusée" shell={shell}>
      <h1>Demande refusée</h1>
      <p class="error" id="refusal" data-code={code} safe>{message}</p>
      <p safe>{nextStep(status)}</p>
      <p><a href="/">Retour à l’accueil</a></p>
    </Layout>
  );
}
