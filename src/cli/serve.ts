import { once } from 'node:events';
import { peopleFromEnv } from '../access/people/people-config.js';
import { replayGuardFromEnv } from '../access/replay-cache.js';
import { installAccessSealer, localWitnessDir, retentionMonthsFromEnv, startSequencer, type RunningSequencer } from '../audit/index.js';
import { startSequencerThread } from '../audit/sequencer-worker.js';
import type { Database } from '../db/database.js';
import { databaseConfigFromEnv } from '../db/open.js';
import { buildServer } from '../app/server.js';
import { createShield } from '../shield/index.js';
import { paymentsDir } from '../payments/runs/pay-day.js';
import { runAtFromEnv } from '../payments/runs/config.js';
import { startPaymentSchedule } from '../payments/runs/schedule.js';
import { seedDemo } from './demo.js';
import { demoPaymentEnv } from './demo-payments.js';
import { dataHome, withRuntime } from './runtime.js';
import type { ServerKeys } from './server-keys.js';

export interface ServeOptions {
  demo: boolean;
  host: string;
  port: number;
  /** The platform's public origin, named in DPoP proofs and client assertions. */
  publicOrigin: string;
}

/**
 * The platform's HTTP server (`rempart start`, with keys already checked), until Ctrl+C or
 * SIGTERM — or until the access log's sequencer thread dies: then the process stops with
 * exit code 1 rather than go on disclosing with nobody signing the log.
 */
export async function serve(options: ServeOptions, keys: ServerKeys): Promise<void> {
  // Read before anything opens: a mistyped hour stops the start rather than never paying.
  const paymentEnv = options.demo ? demoPaymentEnv(process.env) : process.env;
  const runAt = runAtFromEnv(paymentEnv);
  await withRuntime(async ({ db, vault }) => {
    installAccessSealer(keys.seal);
    if (options.demo) await seedDemo(db, vault, dataHome());
    const { publicOrigin } = options;
    const services = { db, signer: keys.tokens, replay: replayGuardFromEnv(process.env), publicOrigin, shield: createShield(db, process.env), now: () => new Date() };
    // A configured provider, else in the demo a local stand-in for Pro Santé Connect.
    const people = await peopleFromEnv(db, publicOrigin, process.env, options.demo);
    const app = await buildServer({ services, vault, people, logger: true });
    let died: (reason: string) => void = () => undefined;
    const death = new Promise<string>((resolve) => (died = resolve));
    const sequencer = startAccessLog(db, keys, died);
    const payments = runAt === undefined ? undefined
      : startPaymentSchedule(db, runAt, { dir: paymentsDir(dataHome()), env: paymentEnv }, (line) => process.stdout.write(`${line}\n`));
    app.addHook('onClose', async () => {
      payments?.stop();
      await sequencer.stop();
      await services.replay.close();
      await services.shield.close();
    });
    await app.listen({ host: options.host, port: options.port });
    process.stdout.write(`\nRempart est prêt : ${publicOrigin}/  (Ctrl+C pour arrêter)\n`);
    const reason = await Promise.race([once(process, 'SIGINT').then(() => undefined), once(process, 'SIGTERM').then(() => undefined), death]);
    if (reason !== undefined) {
      process.stderr.write(`rempart : séquenceur du journal d’accès arrêté (${reason}) : arrêt du serveur, aucune divulgation sans journal signé\n`);
      process.exitCode = 1;
    }
    await app.close();
  });
}

/**
 * The access log gets its Merkle leaves and a signed checkpoint every few seconds: on its
 * own thread with a server, on this one (short batches) with PGlite; each new signed head
 * goes to the witness kept outside the data (on the embedded store by default); and, once
 * a day, the months older than the retention are dropped (src/audit/retention.ts).
 */
function startAccessLog(db: Database, keys: ServerKeys, died: (reason: string) => void): RunningSequencer {
  const sequencing = {
    database: databaseConfigFromEnv(dataHome()),
    home: dataHome(),
    intervalMs: Number(process.env.REMPART_AUDIT_INTERVAL_MS ?? 5000),
    batchSize: 200,
    retentionMonths: retentionMonthsFromEnv(process.env),
    witness: localWitnessDir(process.env, dataHome()),
  };
  return db.engine === 'postgres' ? startSequencerThread(sequencing, process.env, died) : startSequencer(db, keys.audit, sequencing);
}
