import type { FastifyInstance } from 'fastify';
/**
 * What a page may do: run and fetch only the platform's own served scripts (a script
 * injected into a page runs nowhere), take its look from the platform's stylesheet (no
 * inline style), post forms to the platform only, be framed by nobody. Nothing else is
 * allowed (default-src 'none').
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A page's own headers; a route that sets a stricter one keeps it (the transparency page). */
export const pageHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': PAGE_CSP,
  // Page URLs may carry a one-time token or a code: never sent to another site.
  'referrer-policy': 'no-referrer',
};

/** A year: browsers keep to https for that long after their last visit. */
const HSTS_SECONDS = 365 * 24 * 3600;

/**
 * Headers of every answer: no content sniffing (a JSON body is never run as a script or
 * page); over an https origin, browsers come back over https only. Not on subdomains: the
 * operator's other hosts are not ours to bind.
 */
export function transportHeaders(publicOrigin: string): Readonly<Record<string, string>> {
  const https = new URL(publicOrigin).protocol === 'https:';
  return { 'x-content-type-options': 'nosniff', ...(https ? { 'strict-transport-security': `max-age=${HSTS_SECONDS}` } : {}) };
}

const isPage = (contentType: unknown): boolean => typeof contentType === 'string' && contentType.startsWith('text/html');

/**
 * Once for the whole application, on the root instance before any route: every answer
 * gets the transport headers, every HTML page its policy, whichever module renders it.
 */
export function registerSecurityHeaders(app: FastifyInstance, publicOrigin: string): void {
  const always = transportHeaders(publicOrigin);
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.headers(always);
    if (isPage(reply.getHeader('content-type'))) {
      for (const [name, value] of Object.entries(pageHeaders)) if (!reply.hasHeader(name)) void reply.header(name, value);
    }
    return payload;
  });
}
