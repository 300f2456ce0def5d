import type { FastifyInstance } from 'fastify';
import { createServer } from 'node:net';
import type { Database } from '../../db/database.js';
import { buildServer } from '../../app/server.js';
import type { Services } from '../../app/server.js';
import { devPeople } from '../people/dev-people.js';
import type { Vault } from '../../vault/index.js';
import { testAccess, testVault } from './access.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * The platform listening on loopback with people's logins and the local PSC stand-in:
 * what a browser, or the OIDC client's own HTTP calls, need. `hostName` is how it is
 * reached (passkeys need a domain name such as localhost).
 */
export async function listeningPlatform(db: Database, hostName = '127.0.0.1', vault: Vault = testVault()): Promise<{ app: FastifyInstance; origin: string; access: Services }> {
  const port = await freePort();
  const origin = `http://${hostName}:${port}`;
  const access = { ...(await testAccess(db)), publicOrigin: origin };
  const app = await buildServer({ services: access, vault, people: await devPeople(db, origin) });
  await app.listen({ host: '127.0.0.1', port });
  return { app, origin, access };
}
