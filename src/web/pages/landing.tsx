import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { safeReturnPath } from '../../http/return-path.js';
import { homeFacts, type HomeFacts } from '../../registry/directory/home-facts.js';
import type { Assets } from '../assets/store.js';
import { Layout } from '../shell/layout.js';
import { shellOf, type Shell } from '../shell/shell.js';

/** The home page: the insurers served, the directory's size, and how to log in (back to `retour` afterwards). */
export function landingRoute(app: FastifyInstance, options: { db: Database; canLogIn: boolean; assets: Assets }): void {
  app.get<{ Querystring: { retour?: string } }>('/', { config: { page: true } }, async (request, reply) => {
    const back = safeReturnPath(request.query.retour);
    const facts = await homeFacts(options.db);
    return reply.header('cache-control', 'no-store').html(
      <Landing shell={shellOf(request, options.assets)} facts={facts} engine={options.db.engine} canLogIn={options.canLogIn} back={back} />,
    );
  });
}

function LoginBlock({ back }: { back: string | undefined }): JSX.Element {
  const psc = back === undefined ? '/auth/login' : `/auth/login?retour=${encodeURIComponent(back)}`;
  return (
    <section class="panel" aria-labelledby="login-title">
      <h2 id="login-title">Se connecter</h2>
      {back === undefined ? '' : <p>Connectez-vous pour ouvrir la page demandée.</p>}
      <p>Professionnels de santé et personnel des organismes ; aucun mot de passe.</p>
      <p>
        <a href={psc}>Se connecter avec Pro Santé Connect</a> ou{' '}
        <button id="passkey-login" type="button">avec une clé d'accès</button> <span id="passkey-status" role="status"></span>
      </p>
    </section>
  );
}

export function Landing(props: { shell: Shell; facts: HomeFacts; engine: string; canLogIn: boolean; back: string | undefined }): JSX.Element {
  const { facts } = props;
  return (
    <Layout title="Accueil" shell={props.shell} scripts={props.canLogIn ? ['passkeys.js'] : []}>
      <h1>Rempart</h1>
      <p safe>Plateforme de tiers payant pour les organismes complémentaires. Stockage : {props.engine}.</p>
      {props.canLogIn ? <LoginBlock back={props.back} /> : ''}
      <h2>Organismes servis</h2>
      <table>
        <thead><tr><th scope="col">Organisme</th><th scope="col">Numéro AMC</th></tr></thead>
        <tbody>
          {facts.insurers.length === 0
            ? <tr><td colspan="2">Aucun organisme chargé.</td></tr>
            : facts.insurers.map((insurer) => <tr><td safe>{insurer.name}</td><td safe>{insurer.amcNumber}</td></tr>)}
        </tbody>
      </table>
      <p>Annuaire : {facts.professionals} professionnels, {facts.sites} structures, {facts.activities} activités.</p>
      <p class="note">Données entièrement synthétiques. Les identités des bénéficiaires sont chiffrées par organisme ; cette page ne donne aucun effectif par organisme : c'est l'affaire de chaque organisme.</p>
    </Layout>
  );
}
