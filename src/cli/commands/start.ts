import type { Command } from 'commander';
import { once } from 'node:events';
import { peopleFromEnv } from '../../access/people/people-config.js';
import { replayGuardFromEnv } from '../../access/replay-cache.js';
import { TokenSigner } from '../../access/token-signer.js';
import { AuditSigner, retentionMonthsFromEnv, startSequencer } from '../../audit/index.js';
import { startSequencerThread } from '../../audit/sequencer-worker.js';
import { databaseConfigFromEnv } from '../../db/open.js';
import { buildServer } from '../../http/server.js';
import { createShield } from '../../shield/index.js';
import { seedDemo } from '../demo.js';
import { dataHome, withRuntime } from '../runtime.js';

interface StartOptions {
  demo?: boolean;
  host: string;
  port: string;
}

/** `rempart start`: the platform's HTTP server, on PGlite by default or DATABASE_URL. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('démarre la plateforme (PGlite embarqué par défaut, DATABASE_URL pour un serveur PostgreSQL)')
    .option('--demo', 'au premier démarrage, génère et charge des données synthétiques de démonstration')
    .option('--host <adresse>', 'adresse d’écoute', process.env.HOST ?? '127.0.0.1')
    .option('--port <port>', 'port d’écoute', process.env.PORT ?? '8080')
    .action(async (options: StartOptions) => {
      await withRuntime(async ({ db, vault }) => {
        if (options.demo) await seedDemo(db, vault, dataHome());
        // Passkeys need a domain name, not an IP address: on this machine, localhost.
        const publicOrigin = process.env.REMPART_PUBLIC_URL ?? `http://${options.host === '127.0.0.1' ? 'localhost' : options.host}:${options.port}`;
        const signer = await TokenSigner.fromEnv(process.env, dataHome(), publicOrigin);
        const access = { db, signer, replay: replayGuardFromEnv(process.env), publicOrigin, shield: createShield(db, process.env), now: () => new Date() };
        // A configured provider, else in the demo a local stand-in for Pro Santé Connect.
        const people = await peopleFromEnv(db, publicOrigin, process.env, options.demo === true);
        const app = await buildServer({ access, vault, people, logger: true });
        // The access log gets its Merkle leaves and a signed checkpoint every few seconds:
        // on its own thread with a server, on this one (short batches) with PGlite; and,
        // once a day, the months older than the retention are dropped (src/audit/retention.ts).
        const sequencing = {
          database: databaseConfigFromEnv(dataHome()),
          home: dataHome(),
          intervalMs: Number(process.env.REMPART_AUDIT_INTERVAL_MS ?? 5000),
          batchSize: 200,
          retentionMonths: retentionMonthsFromEnv(process.env),
        };
        const sequencer = db.engine === 'postgres' ? startSequencerThread(sequencing) : startSequencer(db, AuditSigner.fromEnv(process.env, dataHome()), sequencing);
        app.addHook('onClose', async () => {
          await sequencer.stop();
          await access.replay.close();
          await access.shield.close();
        });
        await app.listen({ host: options.host, port: Number(options.port) });
        process.stdout.write(`\nRempart est prêt : ${publicOrigin}/  (Ctrl+C pour arrêter)\n`);
        await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
        await app.close();
      });
    });
}
