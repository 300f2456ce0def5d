import type { FastifyInstance, FastifyRequest } from 'fastify';
import { visit } from 'jsonc-parser';
import { RempartError } from '../../domain/errors/codes.js';

/** Deeper than any body the API takes (a JWKS in a request is four levels): refused before anything walks it recursively. */
export const MAX_JSON_DEPTH = 32;

type Done = (error: Error | null, value?: unknown) => void;
/** Fastify's own parser, in the callback form its runtime has. */
type JsonParser = (request: FastifyRequest, body: string, done: Done) => void;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies: Fastify's own strict parser (secure-json-parse, prototype poisoning refused
 * as the server is configured), then refused as well: bytes that are not UTF-8 (they would
 * be read as U+FFFD), nesting deeper than MAX_JSON_DEPTH, and a key given twice in one
 * object, which JSON.parse settles silently by keeping the last one, so that a proxy, a
 * log and the platform could each read a different request.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = app.initialConfig;
  const strict = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning) as JsonParser;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done: Done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      done(new RempartError('BODY_INVALID', 'octets hors UTF-8'));
      return;
    }
    strict(request, text, (error, value) => {
      if (error) {
        done(error);
        return;
      }
      const refusal = tooDeep(value) ? new RempartError('BODY_INVALID', `plus de ${MAX_JSON_DEPTH} niveaux d’imbrication`) : duplicateKey(text);
      if (refusal) done(refusal);
      else done(null, value);
    });
  });
}

/** Whether a parsed value nests objects and arrays deeper than MAX_JSON_DEPTH; walked with a stack of its own, not recursion. */
function tooDeep(value: unknown): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/** The first key given twice in one object, as a FIELD_DUPLICATE naming its path (keys compared once unescaped, as JSON.parse does). */
function duplicateKey(text: string): RempartError | undefined {
  const scopes: Set<string>[] = [];
  let found: RempartError | undefined;
  visit(text, {
    onObjectBegin: () => {
      scopes.push(new Set());
    },
    onObjectEnd: () => {
      scopes.pop();
    },
    onObjectProperty: (property, _offset, _length, _line, _column, pathSupplier) => {
      const keys = scopes.at(-1);
      if (found !== undefined || keys === undefined) return;
      if (keys.has(property)) found = new RempartError('FIELD_DUPLICATE', ['body', ...pathSupplier(), property].join('/'));
      keys.add(property);
    },
  });
  return found;
}
