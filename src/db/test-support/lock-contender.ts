import { lockStore } from '../store-lock.js';

/**
 * A separate process contending for a store's lock (src/db/store-lock.test.ts):
 * `lock-contender.ts FOLDER GO_AT HOLD_MS release|exit|signal`. Waits until the instant
 * GO_AT (ms since 1970) so that contenders started one by one try together, prints
 * `held` or `refused MESSAGE`, holds HOLD_MS, then ends as told.
 */
const [folder = '', goAt = '0', holdMs = '0', end = 'release'] = process.argv.slice(2);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

await sleep(Number(goAt) - Date.now());
try {
  const lock = lockStore(folder);
  process.stdout.write('held\n');
  await sleep(Number(holdMs));
  if (end === 'signal') {
    process.kill(process.pid, 'SIGTERM');
    await sleep(10_000); // alive until the signal lands, as a command killed mid-work
  } else if (end === 'exit') process.exit(0);
  else lock.release();
} catch (error) {
  process.stdout.write(`refused ${error instanceof Error ? error.message : String(error)}\n`);
}
