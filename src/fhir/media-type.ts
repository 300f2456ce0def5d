import type { FastifyInstance, FastifyReply } from 'fastify';
import { RempartError } from '../domain/errors/codes.js';
import { FHIR_JSON } from './systems.js';

const FHIR_MEDIA_TYPE = /^application\/fhir\+json\s*(;|$)/i;
const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Sends a resource already serialised: FHIR bodies owe nothing to a response schema that
 * another plugin may attach to the route (the OpenAPI one describes REST errors), and
 * "not covered" stays the same bytes.
 */
export function sendResource(reply: FastifyReply, resource: object, status = 200): FastifyReply {
  return reply.status(status).type(FHIR_JSON).send(JSON.stringify(resource));
}

/**
 * Bodies in this scope are application/fhir+json or application/json, nothing else (the
 * server also reads forms and text elsewhere). FHIR's media type is JSON: it is read by
 * the platform's one strict JSON parser (src/http/plugins/json-body.ts).
 */
export function acceptFhirJson(scope: FastifyInstance): void {
  scope.addHook('onRequest', (request, _reply, done) => {
    const type = request.headers['content-type'];
    if (type === undefined || request.method === 'GET' || request.method === 'HEAD') {
      done();
    } else if (FHIR_MEDIA_TYPE.test(type)) {
      request.headers['content-type'] = 'application/json';
      done();
    } else {
      done(JSON_MEDIA_TYPE.test(type) ? undefined : new RempartError('CONTENT_TYPE_UNSUPPORTED', 'application/fhir+json ou application/json'));
    }
  });
}
