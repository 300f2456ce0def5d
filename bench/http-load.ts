import { Agent, request } from 'node:http';
import { TOKEN_PATH } from '../src/access/access.js';
import { apiCallHeaders, signClientAssertion, signDpopProof, tokenRequestBody } from '../src/access/client-software.js';
import type { BenchClient, Card } from './rights-setup.js';

const CHECK_PATH = '/api/v1/rights/check';

interface Connected extends BenchClient {
  token: string;
  /** Proofs signed ahead of a measurement, so the generator's signing stays out of it. */
  proofs: string[];
}

export interface LoadFigures {
  requests: number;
  seconds: number;
  /** Requests answered other than 200, and the first few of them, to say why. */
  failures: number;
  failureSamples: string[];
  latenciesMs: number[];
  /** Latencies of the checks for strangers alone (every tenth card: see rights.ts). */
  missLatenciesMs: number[];
}

/** The workload puts a stranger's card at every tenth position. */
export const isMiss = (index: number): boolean => index % 10 === 9;

function post(agent: Agent, origin: string, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Each bench software obtains its DPoP-bound token, as practice software does. */
export async function connect(origin: string, clients: readonly BenchClient[]): Promise<Connected[]> {
  const agent = new Agent({ keepAlive: true });
  const url = `${origin}${TOKEN_PATH}`;
  return Promise.all(
    clients.map(async (client) => {
      const headers = { 'content-type': 'application/x-www-form-urlencoded', dpop: await signDpopProof(client.dpopKey, 'POST', url, new Date()) };
      const reply = await post(agent, origin, TOKEN_PATH, headers, tokenRequestBody(await signClientAssertion(client.clientKey, client.clientId, url, new Date())));
      const token = (JSON.parse(reply.body) as { access_token?: string }).access_token;
      if (!token) throw new Error(`jeton refusé pour ${client.clientId} : ${reply.body}`);
      return { ...client, token, proofs: [] };
    }),
  );
}

/**
 * Signs `total` single-use proofs ahead, spread over the clients: a practice software signs
 * its own proofs on its own machine, not on the platform's (they stay valid 60 s).
 */
export async function presign(origin: string, clients: readonly Connected[], total: number): Promise<void> {
  for (const client of clients) {
    client.proofs = [];
    for (let i = 0; i < Math.ceil(total / clients.length); i += 1) {
      client.proofs.push(await signDpopProof(client.dpopKey, 'POST', `${origin}${CHECK_PATH}`, new Date(), { token: client.token }));
    }
  }
}

/** One rights check, as practice software makes it: a single-use proof, the acting RPPS. */
async function oneCheck(agent: Agent, origin: string, client: Connected, card: Card, careDate: string, failures: string[]): Promise<boolean> {
  const proof = client.proofs.pop() ?? (await signDpopProof(client.dpopKey, 'POST', `${origin}${CHECK_PATH}`, new Date(), { token: client.token }));
  const headers = { ...apiCallHeaders(client.token, proof, client.rpps), 'content-type': 'application/json' };
  const reply = await post(agent, origin, CHECK_PATH, headers, JSON.stringify({ ...card, dateSoins: careDate, domaine: 'PHAR' })).catch((error: Error) => ({ status: 0, body: error.message }));
  if (reply.status !== 200 && failures.length < 5) failures.push(`${reply.status} ${reply.body.slice(0, 160)}`);
  return reply.status === 200;
}

/** As fast as `connections` callers can go, each waiting for its answer (closed loop). */
export async function closedLoop(origin: string, clients: readonly Connected[], cards: readonly Card[], careDate: string, connections: number, seconds: number): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const figures: LoadFigures = { requests: 0, seconds, failures: 0, failureSamples: [], latenciesMs: [], missLatenciesMs: [] };
  const end = Date.now() + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      const client = clients[worker % clients.length] as Connected;
      while (Date.now() < end) {
        const started = performance.now();
        const index = next++ % cards.length;
        const ok = await oneCheck(agent, origin, client, cards[index] as Card, careDate, figures.failureSamples);
        (isMiss(index) ? figures.missLatenciesMs : figures.latenciesMs).push(performance.now() - started);
        figures.requests += 1;
        if (!ok) figures.failures += 1;
      }
    }),
  );
  agent.destroy();
  return figures;
}

/**
 * At a fixed rate, whatever the answers' pace (open loop): each latency counts from the
 * moment the request was due, so a stall is not hidden by requests that were never sent.
 */
export async function openLoop(origin: string, clients: readonly Connected[], cards: readonly Card[], careDate: string, rate: number, seconds: number): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const figures: LoadFigures = { requests: 0, seconds, failures: 0, failureSamples: [], latenciesMs: [], missLatenciesMs: [] };
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const client = clients[i % clients.length] as Connected;
    const index = i % cards.length;
    inFlight.push(
      oneCheck(agent, origin, client, cards[index] as Card, careDate, figures.failureSamples).then((ok) => {
        (isMiss(index) ? figures.missLatenciesMs : figures.latenciesMs).push(performance.now() - due);
        figures.requests += 1;
        if (!ok) figures.failures += 1;
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return figures;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
