import type { FastifyInstance } from 'fastify';
import type { Assets } from './store.js';

const types: Readonly<Record<string, string>> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };

/** Serves the bundles under their hashed names: a name changes with its content, so browsers may keep each one for a year. */
export function staticRoute(app: FastifyInstance, assets: Assets): void {
  app.get<{ Params: { file: string } }>('/static/:file', async (request, reply) => {
    const { file } = request.params;
    const contents = assets.contents(file);
    if (contents === undefined) return reply.callNotFound();
    return reply
      .type(types[file.split('.').pop() ?? ''] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(Buffer.from(contents));
  });
}
