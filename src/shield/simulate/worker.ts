import { parentPort, workerData } from 'node:worker_threads';
import { runSeed, type SeedOptions } from './simulate.js';

/** Runs one seed of the simulation in its own thread and heap (see simulate.ts). */
const port = parentPort;
if (port) {
  const result = await runSeed(workerData as SeedOptions, (line) => port.postMessage({ log: line }));
  port.postMessage({ result });
}
