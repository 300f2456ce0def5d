import { writeReport, type Report } from './report.js';
import { simulate, type SimulateOptions, type SimulationResult } from './simulate.js';

export { scenarioLetters, scenarios, type ScenarioAttack, type ScenarioId, type ScenarioOutcome } from './attacks.js';
export { summarize, writeReport, type Report } from './report.js';
export { runSeed, simulate, type SimulateOptions, type SimulationResult } from './simulate.js';

/** What `rempart simulate` and `npm run bench -- shield` both run: the simulation, then its report in `out`. */
export async function simulateAndReport(options: SimulateOptions, out: string): Promise<{ result: SimulationResult; report: Report }> {
  const result = await simulate(options);
  const report = await writeReport(result, out);
  return { result, report };
}
