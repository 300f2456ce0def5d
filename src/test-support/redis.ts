import { createConnection } from 'node:net';

/** The Redis the tests use: REDIS_URL, else the one on every machine of this project's kind. */
export const testRedisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether the Redis tests run: when Redis answers, and always in CI (where a missing Redis
 * must fail, not skip).
 */
export async function redisTestsRun(): Promise<boolean> {
  if (process.env.CI === 'true') return true;
  const { hostname, port } = new URL(testRedisUrl);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
