import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { fastifyKitaHtml } from '@kitajs/fastify-html-plugin';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { MachineChecks } from '../access/access.js';
import { enforcePolicy } from '../access/access-policy.js';
import type { People } from '../access/people/people.js';
import { SESSION_COOKIE } from '../access/people/sessions.js';
import { clientAccessPlugin, peopleAccessPlugin } from '../access/plugin.js';
import { auditConsolePlugin } from '../audit/plugin.js';
import { claimsPlugin } from '../claims/plugin.js';
import type { Database } from '../db/database.js';
import { fhirPlugin } from '../fhir/plugin.js';
import { invoicesPlugin } from '../invoices/plugin.js';
import { insurerInvoicesPlugin } from '../invoices/insurer/plugin.js';
import { LotWorker } from '../invoices/lot-worker.js';
import { registerCsrf } from '../http/plugins/csrf.js';
import { frameworkErrors, registerErrorHandler } from '../http/plugins/errors.js';
import { registerJsonParser } from '../http/plugins/json-body.js';
import { registerSecurityHeaders } from '../http/plugins/security-headers.js';
import { healthRoute } from '../http/routes/health.js';
import { incidentsPlugin } from '../incidents/plugin.js';
import { changeDelayMs } from '../payments/bank-accounts/config.js';
import { insurerFundingPlugin } from '../payments/funding/plugin.js';
import { operationsPlugin } from '../operations/plugin.js';
import { paymentsPlugin } from '../payments/plugin.js';
import { paymentTrackingPlugin } from '../payments/tracking/plugin.js';
import { HoneytokenSet } from '../registry/honeytokens/honeytoken-set.js';
import { registryPlugin } from '../registry/plugin.js';
import { InsurerDirectory } from '../rights/insurers.js';
import type { RightsDeps } from '../rights/check-rights.js';
import { rightsPlugin } from '../rights/plugin.js';
import type { Shield } from '../shield/engine.js';
import { shieldConsolePlugin } from '../shield/plugin.js';
import { transparencyPlugin } from '../transparency/plugin.js';
import type { Vault } from '../vault/index.js';
import { loadAssets } from '../web/assets/store.js';
import { landingPlugin, personPagesPlugin } from '../web/plugin.js';
import { pageRefusal } from '../web/shell/refusals.js';
import { BODY_LIMIT_KIB, registerApiDocs } from './openapi.js';

/** Honeytokens planted later (`rempart honeytokens plant`) are seen within a minute. */
async function watchHoneytokens(app: FastifyInstance, db: Database): Promise<HoneytokenSet> {
  const honeytokens = await HoneytokenSet.load(db);
  const timer = setInterval(() => void honeytokens.refresh(db).catch((error: unknown) => app.log.error(error)), 60_000).unref();
  app.addHook('onClose', () => clearInterval(timer));
  return honeytokens;
}

/** Lots kept for later are looked for this often, beside the wake of their intake here: those of other instances, or left by one that died. */
const LOT_POLL_MS = 5_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Decides the invoice lots kept for later (Prefer: respond-async, src/invoices/lot-worker.ts). */
    invoiceLots: LotWorker;
  }
}

/** The instance's lot worker, polling unless told not to, stopped on close (the lot in hand finished first). */
function startLotWorker(app: FastifyInstance, deps: RightsDeps & { now: () => Date }, poll: boolean): LotWorker {
  const worker = new LotWorker(deps, { now: deps.now, log: (error) => app.log.error(error) });
  if (poll) worker.start(LOT_POLL_MS);
  app.decorate('invoiceLots', worker);
  app.addHook('onClose', () => worker.close());
  return worker;
}

/** The platform's shared services, made once by whoever starts it (rempart start, the tests); each plugin is handed only what it uses. */
export interface Services extends MachineChecks {
  /** Watches every disclosure per account: slows down, asks for a step-up, suspends (src/shield). */
  shield: Shield;
}

export interface ServerOptions {
  services: Services;
  /** Personal data's keys: rights checks find beneficiaries through their blind index. */
  vault: Vault;
  /** People's logins; absent, the platform serves practice software only. */
  people?: People | undefined;
  logger?: boolean;
  /**
   * false: this instance decides the lots kept for later only when asked (`app.invoiceLots`),
   * not on their intake nor by polling: other instances do, or a test plays a worker's part.
   */
  lotWorker?: boolean;
}

/**
 * Assembles the HTTP server: cross-cutting plugins first (errors, cookies, the access
 * policy that every route must appear in, bodies, the OpenAPI document), then each
 * module's plugin, handed only the services it declares.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { vault, people } = options;
  // Requests are served as the role that cannot read the identity tables (migration 019):
  // they reach them only through the disclosure functions, each writing its access record.
  const services = { ...options.services, db: options.services.db.serving() };
  const { db, now, publicOrigin, shield } = services;
  const app = Fastify({
    logger: options.logger ?? false,
    // Who asked what is in the access and authentication logs; a line per request would
    // cost more than the request (REMPART_REQUEST_LOG=1 brings it back for debugging).
    logController: new LogController({ disableRequestLogging: process.env.REMPART_REQUEST_LOG !== '1' }),
    bodyLimit: BODY_LIMIT_KIB * 1024,
    // Prototype pollution is refused at parse time (duplicated keys too: plugins/json-body.ts).
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Unknown fields are refused, not silently dropped: a vendor learns of its mistake.
    ajv: { customOptions: { removeAdditional: false } },
    frameworkErrors,
  });
  const assets = await loadAssets();
  // Pages and forms meet refusals as French pages (or the way to log in), the API as JSON.
  registerErrorHandler(app, pageRefusal(assets));
  await app.register(fastifyKitaHtml);
  // On the root instance, before any route: every answer and every page, refusals included.
  registerSecurityHeaders(app, publicOrigin);
  // Cookies are parsed before the access policy reads the session one.
  await app.register(cookie);
  // The identity provider's own forms carry their interaction's single-use id instead.
  registerCsrf(app, { cookie: SESSION_COOKIE, exempt: /^\/idp\// });
  // On the root instance, before any route: its onRoute and onRequest hooks reach every plugin registered after.
  enforcePolicy(app, services);
  registerJsonParser(app);
  await app.register(formbody);
  // Before the routes: it documents each one as it is added.
  await registerApiDocs(app, publicOrigin);
  healthRoute(app, db);
  await app.register(landingPlugin, { db, canLogIn: people !== undefined, assets });
  await app.register(clientAccessPlugin, { db, signer: services.signer, replay: services.replay, publicOrigin, now });
  const rights = { db, vault, insurers: new InsurerDirectory(db), shield, honeytokens: await watchHoneytokens(app, db), now };
  await app.register(rightsPlugin, rights);
  await app.register(fhirPlugin, { ...rights, publicOrigin });
  await app.register(claimsPlugin, rights);
  const lots = startLotWorker(app, rights, options.lotWorker ?? true);
  await app.register(invoicesPlugin, { ...rights, lots: options.lotWorker === false ? { wake: () => undefined } : lots });
  await app.register(paymentTrackingPlugin, { db, now });
  // Member portals are clients too: transparency needs no people's logins.
  await app.register(transparencyPlugin, { db, vault, now, publicOrigin, assets });
  if (people) {
    await app.register(peopleAccessPlugin, { db, now, publicOrigin, watch: shield, people });
    await app.register(registryPlugin, { db });
    await app.register(insurerInvoicesPlugin, { db, now });
    await app.register(insurerFundingPlugin, { db, now });
    await app.register(shieldConsolePlugin, { db, now, shield });
    await app.register(incidentsPlugin, { db, now });
    await app.register(auditConsolePlugin, { db });
    await app.register(paymentsPlugin, { db, now, delayMs: changeDelayMs(process.env) });
    await app.register(operationsPlugin, { db, now });
    await app.register(personPagesPlugin, { db, now, assets });
  }
  return app;
}
