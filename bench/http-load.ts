import { Agent, request } from 'node:http';
import { TOKEN_PATH } from '../src/access/access.js';
import { apiCallHeaders, signClientAssertion, signDpopProof, tokenRequestBody } from '../src/access/client-software.js';
import type { BenchClient, Card } from './rights-setup.js';
import { failureReason, Tally } from './verdict.js';

export const CHECK_PATH = '/api/v1/rights/check';

export interface Connected extends BenchClient {
  token: string;
  /** Proofs signed ahead of a measurement, so the generator's signing stays out of it. */
  proofs: string[];
}

export interface LoadFigures {
  /** Successful answers, and failures by error code: only successes count toward a rate. */
  tally: Tally;
  seconds: number;
  /** Latencies of successful answers for covered people. */
  latenciesMs: number[];
  /** Latencies of successful answers for strangers alone (every tenth card: see rights.ts). */
  missLatenciesMs: number[];
}

export const newFigures = (seconds: number): LoadFigures => ({ tally: new Tally(), seconds, latenciesMs: [], missLatenciesMs: [] });

/** The workload puts a stranger's card at every tenth position. */
export const isMiss = (index: number): boolean => index % 10 === 9;

/** Answered 200 but not as the card says (a covered person refused, a stranger accepted): the bench's data no longer describes the day. */
export const UNEXPECTED_COVER = 'COUVERTURE_INATTENDUE';

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

/** Each bench software obtains its DPoP-bound token, as practice software does (a few dozen at a time). */
export async function connect(origin: string, clients: readonly BenchClient[]): Promise<Connected[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const url = `${origin}${TOKEN_PATH}`;
  const connected = await Promise.all(
    clients.map(async (client) => {
      const headers = { 'content-type': 'application/x-www-form-urlencoded', dpop: await signDpopProof(client.dpopKey, 'POST', url, new Date()) };
      const reply = await post(agent, origin, TOKEN_PATH, headers, tokenRequestBody(await signClientAssertion(client.clientKey, client.clientId, url, new Date())));
      const token = (JSON.parse(reply.body) as { access_token?: string }).access_token;
      if (!token) throw new Error(`jeton refusé pour ${client.clientId} : ${reply.body}`);
      return { ...client, token, proofs: [] };
    }),
  );
  agent.destroy();
  return connected;
}

/**
 * Signs `total` single-use proofs ahead, spread over the clients: a practice software signs
 * its own proofs on its own machine, not on the platform's (they stay valid 60 s).
 */
export async function presign(origin: string, clients: readonly Connected[], total: number, path = CHECK_PATH): Promise<void> {
  for (const client of clients) {
    client.proofs = [];
    for (let i = 0; i < Math.ceil(total / clients.length); i += 1) {
      client.proofs.push(await signDpopProof(client.dpopKey, 'POST', `${origin}${path}`, new Date(), { token: client.token }));
    }
  }
}

/**
 * The account of the i-th request: pharmacies in turn, and in each its pharmacists in turn,
 * so every account of the bench takes its share (as many accounts as real pharmacies would).
 */
export function accountOf(clients: readonly Connected[], i: number): { client: Connected; rpps: string } {
  const client = clients[i % clients.length] as Connected;
  return { client, rpps: client.rpps[Math.floor(i / clients.length) % client.rpps.length] as string };
}

/** One request, `i`-th of its loop, counted in `figures`; `dueAt` is when it was due (latencies count from it). */
export type Send = (agent: Agent, i: number, figures: LoadFigures, dueAt: number) => Promise<void>;

/** A POST as practice software sends it: a single-use proof (signed ahead, else now), the acting RPPS; a network error reads as status 0. */
export async function signedPost(agent: Agent, origin: string, client: Connected, rpps: string, path: string, body: object): Promise<{ status: number; body: string }> {
  const proof = client.proofs.pop() ?? (await signDpopProof(client.dpopKey, 'POST', `${origin}${path}`, new Date(), { token: client.token }));
  const headers = { ...apiCallHeaders(client.token, proof, rpps), 'content-type': 'application/json' };
  return post(agent, origin, path, headers, JSON.stringify(body)).catch((error: Error) => ({ status: 0, body: error.message }));
}

/** Tallies an answer that failed (the network, or another status than `expected`) by its reason; true when it did. */
export function tallyFailure(tally: Tally, reply: { status: number; body: string }, expected: number): boolean {
  if (reply.status === 0) tally.failure(`réseau : ${reply.body.slice(0, 60)}`);
  else if (reply.status !== expected) tally.failure(failureReason(reply.status, reply.body));
  else return false;
  return true;
}

/** One rights check of `cards` on `careDate` per call, by the accounts in turn; counted if it succeeded as the card says. */
export function rightsCheck(origin: string, clients: readonly Connected[], cards: readonly Card[], careDate: string): Send {
  return async (agent, i, figures, dueAt) => {
    const { client, rpps } = accountOf(clients, i);
    const index = i % cards.length;
    const reply = await signedPost(agent, origin, client, rpps, CHECK_PATH, { ...cards[index], dateSoins: careDate, domaine: 'PHAR' });
    const latency = performance.now() - dueAt;
    if (tallyFailure(figures.tally, reply, 200)) return;
    if ((JSON.parse(reply.body) as { couvert?: boolean }).couvert !== !isMiss(index)) figures.tally.failure(UNEXPECTED_COVER);
    else {
      figures.tally.success();
      (isMiss(index) ? figures.missLatenciesMs : figures.latenciesMs).push(latency);
    }
  };
}

/** `count` requests, `connections` at a time (not a measure: setup, or meeting every account). */
export async function runCount(send: Send, connections: number, count: number): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const figures = newFigures(1);
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < count) await send(agent, next++, figures, performance.now());
    }),
  );
  agent.destroy();
  return figures;
}

/**
 * One check for every account, `connections` at a time, before anything is measured: an
 * instance meets each account once in its life (on the embedded default it then replays
 * the account's day from the access log), a start-up cost that is not the rights check's.
 */
export async function meetEveryAccount(origin: string, clients: readonly Connected[], cards: readonly Card[], careDate: string, connections: number): Promise<void> {
  await runCount(rightsCheck(origin, clients, cards, careDate), connections, clients.length * Math.max(0, ...clients.map((client) => client.rpps.length)));
}

/** As fast as `connections` callers can go, each waiting for its answer (closed loop). */
export async function closedLoop(send: Send, connections: number, seconds: number): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const figures = newFigures(seconds);
  const end = Date.now() + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) await send(agent, next++, figures, performance.now());
    }),
  );
  agent.destroy();
  return figures;
}

/**
 * At a fixed rate, whatever the answers' pace (open loop): each latency counts from the
 * moment the request was due, so a stall is not hidden by requests that were never sent.
 */
export async function openLoop(send: Send, rate: number, seconds: number): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const figures = newFigures(seconds);
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(agent, i, figures, due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return figures;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
