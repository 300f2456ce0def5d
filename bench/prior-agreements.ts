import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { glassesQuote } from '../src/cli/demo-optician.js';
import { today } from '../src/clock.js';
import { SERVING_ROLE } from '../src/db/database.js';
import { roleUrl } from '../src/db/open.js';
import { addDays, type CalendarDate } from '../src/domain/dates.js';
import { accountOf, CHECK_PATH, connect, runCount, signedPost, tallyFailure, UNEXPECTED_COVER, type Connected, type Send } from './http-load.js';
import { pgbench } from './pgbench.js';
import { agreementScript, asOwner, decidedTemplate, fillEngagementProbes, releaseEarlierAgreements, splitCards } from './prior-agreements-setup.js';
import { OPTICIANS, prepareCallers, sampleCards, type BenchClient, type Card } from './rights-setup.js';
import { figuresRow, maxThenHalf, rps, serverPopulation, startPlatform, type MaxAndPaced } from './rights.js';
import { describeShield, shieldEnv, type ShieldSetting } from './shield-settings.js';
import { figuresBlock, machine } from './support.js';
import { describeFailures, ratioVerdict, Tally, type Measured } from './verdict.js';

export interface PriorAgreementsBenchOptions {
  rows: number;
  seconds: number;
  connections: number;
  /** Optical shops whose software calls (all their opticians practising today are accounts). */
  opticians: number;
  shield: ShieldSetting;
}

/** Beside the rights bench's port: the two may run one after the other without waiting for a socket to close. */
const PORT = 18_081;
const AGREEMENTS_PATH = '/api/v1/prior-agreements';
/** Agreements per second the pool of engagements is sized for, more than the platform takes here (3 s of warm-up, the maximum, then half of it). */
const POOL_RATE = 600;
const PGBENCH_CLIENTS = 8;
/** Answered, but under an engagement already used in this run: the pool was too small, the beneficiary's ceiling no longer whole. */
export const REUSED_ENGAGEMENT = 'ENGAGEMENT_REUTILISE';

/** An engagement for optics, given to one account at one optical shop: only that account there may ask a prior agreement under it. */
interface Engaged {
  engagement: string;
  client: Connected;
  rpps: string;
}

/**
 * The setup, not measured: one rights check for optics per card (a beneficiary each), by
 * the opticians in turn, as the optician's software makes it before a quote; what each
 * answered is the engagement a prior agreement is then asked under, by the same account.
 */
async function engage(origin: string, connected: readonly Connected[], cards: readonly Card[], careDate: CalendarDate, connections: number): Promise<{ engaged: Engaged[]; tally: Tally }> {
  const engaged: Engaged[] = [];
  const send: Send = async (agent, i, figures) => {
    const { client, rpps } = accountOf(connected, i);
    const reply = await signedPost(agent, origin, client, rpps, CHECK_PATH, { ...cards[i], dateSoins: careDate, domaine: 'OPTI' });
    if (tallyFailure(figures.tally, reply, 200)) return;
    const number = (JSON.parse(reply.body) as { engagement?: { numero?: string } }).engagement?.numero;
    if (number === undefined) return figures.tally.failure(UNEXPECTED_COVER);
    figures.tally.success();
    engaged.push({ engagement: number, client, rpps });
  };
  return { engaged, tally: (await runCount(send, connections, cards.length)).tally };
}

/**
 * One prior agreement per call, the demo optician's quote (a frame and two lenses,
 * delivered in a week), each under the next engagement of the pool: a beneficiary of its
 * own, whose ceilings and renewal delay are whole. Counted when answered 201 (granted,
 * partial or refused: a decision), each decision tallied in `decisions`.
 */
function agreementRequest(origin: string, pool: readonly Engaged[], careDate: CalendarDate, decisions: Map<string, number>): Send {
  const delivery = addDays(careDate, 7);
  const lignes = glassesQuote(delivery);
  let next = 0;
  return async (agent, _i, figures, dueAt) => {
    const turn = next++;
    const { engagement, client, rpps } = pool[turn % pool.length] as Engaged;
    const reply = await signedPost(agent, origin, client, rpps, AGREEMENTS_PATH, { engagement, dateSoins: delivery, lignes });
    const latency = performance.now() - dueAt;
    if (tallyFailure(figures.tally, reply, 201)) return;
    if (turn >= pool.length) return figures.tally.failure(REUSED_ENGAGEMENT);
    const status = (JSON.parse(reply.body) as { statut?: string }).statut ?? '?';
    decisions.set(status, (decisions.get(status) ?? 0) + 1);
    figures.tally.success();
    figures.latenciesMs.push(latency);
  };
}

interface ServerFigures extends MaxAndPaced {
  /** The HTTP measure's engagements, one agreement each. */
  pool: number;
  /** pgbench's engagements. */
  probes: string[];
  /** The rights checks of the setup. */
  setup: Tally;
}

/** The platform started on the population, the engagements made (setup), then the agreements' maximum rate and latencies at half of it. */
async function measureServer(env: NodeJS.ProcessEnv, clients: readonly BenchClient[], cards: { http: Card[]; pgbench: Card[] }, careDate: CalendarDate, decisions: Map<string, number>, options: PriorAgreementsBenchOptions): Promise<ServerFigures> {
  const platform = await startPlatform(env, PORT);
  try {
    const connected = await connect(platform.origin, clients);
    const forHttp = await engage(platform.origin, connected, cards.http, careDate, options.connections);
    const forPgbench = await engage(platform.origin, connected, cards.pgbench, careDate, options.connections);
    const setup = Tally.merge([forHttp.tally, forPgbench.tally]);
    if (forHttp.engaged.length === 0 || forPgbench.engaged.length === 0) throw new Error(`aucun engagement optique obtenu : ${describeFailures(setup)}`);
    const measured = await maxThenHalf(platform.origin, connected, agreementRequest(platform.origin, forHttp.engaged, careDate, decisions), AGREEMENTS_PATH, options);
    return { ...measured, pool: forHttp.engaged.length, probes: forPgbench.engaged.map((e) => e.engagement), setup };
  } finally {
    await platform.stop();
  }
}

export async function benchPriorAgreements(options: PriorAgreementsBenchOptions): Promise<void> {
  const careDate = today();
  const description = await machine();
  const { dir, url, env, provenance } = await serverPopulation(options.rows, 'pec');
  const released = await asOwner(url, releaseEarlierAgreements);
  const wanted = Math.ceil(POOL_RATE * (3 + 1.5 * options.seconds));
  const cards = splitCards(await sampleCards(dir, Math.ceil((wanted * 5) / 4 / 3), careDate, 'OPTI'), wanted);
  const { clients } = await prepareCallers(env, options.opticians, [], careDate, OPTICIANS);
  const started = new Date();
  const decisions = new Map<string, number>();
  const server = await measureServer({ ...env, ...shieldEnv(options.shield, dir) }, clients, cards, careDate, decisions, options);

  const decided = await asOwner(url, async (query) => {
    await fillEngagementProbes(query, server.probes);
    return decidedTemplate(query, started);
  });
  const script = join(dir, 'prior-agreement.pgbench.sql');
  writeFileSync(script, agreementScript(decided, careDate));
  const yardstick = await pgbench(roleUrl(url, SERVING_ROLE), script, { probes: String(server.probes.length) }, PGBENCH_CLIENTS, options.seconds);

  const names = {
    pgbench: `pgbench, disclose_prior_agreement_terms + prior_agreement_record, une transaction, rôle de service (${PGBENCH_CLIENTS} connexions, ${server.probes.length} engagements)`,
    serverMax: `PEC HTTP, serveur PostgreSQL, débit max (${options.connections} appelants)`,
    serverPaced: 'PEC HTTP, serveur PostgreSQL, à la moitié du débit max',
  };
  const measured: Measured[] = [
    { name: names.pgbench, tally: yardstick.tally },
    { name: names.serverMax, tally: server.max.tally },
    { name: names.serverPaced, tally: server.paced.tally },
  ];
  const rows = [
    ['mesure', 'réponses réussies/s', 'p50 (ms)', 'p99 (ms)', 'échecs'],
    [names.pgbench, Math.round(yardstick.tps), '—', '—', yardstick.tally.failed],
    figuresRow(names.serverMax, server.max),
    figuresRow(names.serverPaced, server.paced),
  ];
  const accounts = clients.reduce((sum, client) => sum + client.rpps.length, 0);
  process.stdout.write(
    [
      '',
      '## Accords préalables (PEC)',
      '',
      `Machine : ${description}`,
      `Date des soins : ${careDate} (aujourd’hui), livraison à J+7 ; ${provenance}`,
      `Bouclier : ${describeShield(options.shield)}, compteurs en mémoire`,
      `Comptes : ${clients.length} ${OPTICIANS.words} (un logiciel et une clé DPoP chacun), ${accounts} opticiens exerçant aujourd’hui, à tour de rôle.`,
      `Préparation, hors mesure : ${server.setup.successes} vérifications de droits OPTI, un bénéficiaire chacune, ` +
        `${server.pool} engagements pour HTTP (un accord chacun, prévu pour ${wanted}), ${server.probes.length} pour pgbench (tirés au hasard)` +
        `${server.setup.failed > 0 ? ` ; ${describeFailures(server.setup)}` : ''} ; ${released} accords des passages précédents annulés, leurs réservations libérées.`,
      'Charge : le devis de la démo (monture + 2 verres simples) en POST /api/v1/prior-agreements, chacun sous un engagement neuf du même compte.',
      `Décisions du serveur (échauffement compris) : ${[...decisions].map(([status, count]) => `${status} × ${count}`).join(', ') || 'aucune'} ; pgbench enregistre la plus fréquente (${decided.status}).`,
      '',
      ...figuresBlock(rows, '201, un accord décidé sous un engagement neuf', measured),
      ...ratioVerdict('Rapport PEC HTTP / pgbench', rps(server.max) / yardstick.tps, 0.5, [measured[1], measured[0]] as Measured[]),
      '',
    ].join('\n'),
  );
}
