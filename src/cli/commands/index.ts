import type { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerCheck } from './check.js';
import { registerClients } from './clients.js';
import { registerDemoClient } from './demo-client.js';
import { registerGenerate } from './generate.js';
import { registerHoneytokens } from './honeytokens.js';
import { registerIncident } from './incident.js';
import { registerKeys } from './keys.js';
import { registerLoad } from './load.js';
import { registerSimulate } from './simulate.js';
import { registerStaff } from './staff.js';
import { registerStart } from './start.js';

/** Every sub-command registers itself here, one file per command. */
export function registerCommands(program: Command): void {
  registerAudit(program);
  registerCheck(program);
  registerClients(program);
  registerDemoClient(program);
  registerGenerate(program);
  registerHoneytokens(program);
  registerIncident(program);
  registerKeys(program);
  registerLoad(program);
  registerSimulate(program);
  registerStaff(program);
  registerStart(program);
}
