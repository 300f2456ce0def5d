import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, RempartError, type ErrorCode } from '../../domain/errors/codes.js';
import { errorStatus } from '../error-status.js';

/** The API's error body: a stable code from the catalogue and a French message. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** Fastify's own request errors, under stable codes of ours. */
const fastifyCodes: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'CONTENT_TYPE_UNSUPPORTED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BODY_INVALID',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BODY_INVALID',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BODY_INVALID',
};

/** The first schema violation, named by its field, under the catalogue's field codes. */
function validationError(error: FastifyError): RempartError | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const params = first.params as { missingProperty?: string; additionalProperty?: string };
  const path = `${error.validationContext ?? ''}${first.instancePath}`;
  if (first.keyword === 'required') return new RempartError('FIELD_MISSING', `${path}/${params.missingProperty ?? ''}`);
  if (first.keyword === 'additionalProperties') return new RempartError('FIELD_UNKNOWN', `${path}/${params.additionalProperty ?? ''}`);
  return new RempartError('FIELD_INVALID', `${path} ${first.message ?? ''}`.trim());
}

/** A Fastify or JSON error of the request, as one of ours; undefined when it is not the caller's fault. */
function requestError(error: FastifyError): RempartError | undefined {
  const fromSchema = validationError(error);
  if (fromSchema) return fromSchema;
  const code = fastifyCodes[error.code];
  if (code) return new RempartError(code);
  // JSON.parse of an absurdly deep body overflows the stack: the body is at fault, not us.
  if (error instanceof SyntaxError || error instanceof RangeError) return new RempartError('BODY_INVALID');
  return undefined;
}

/**
 * Any failure as one of ours: expected errors keep their code, the request's faults get
 * theirs, Fastify's other 4xx become REQUEST_INVALID; undefined for a fault of ours.
 */
export function asRempartError(error: FastifyError): RempartError | undefined {
  if (error instanceof RempartError) return error;
  const fromRequest = requestError(error);
  if (fromRequest) return fromRequest;
  const status = error.statusCode ?? 500;
  return status >= 400 && status < 500 ? new RempartError('REQUEST_INVALID', error.message) : undefined;
}

/** The status to answer: the code's (src/http/error-status.ts); REQUEST_INVALID keeps Fastify's own 4xx (404, 405…). */
export function statusOf(known: RempartError, error: FastifyError): number {
  const status = errorStatus[known.code];
  return known.code === 'REQUEST_INVALID' ? (error.statusCode ?? status) : status;
}

/** Headers a refusal carries besides its body: Retry-After, in whole seconds, when it says when to come back. */
export function refusalHeaders(known: RempartError): Record<string, string> {
  const seconds = known.retryAfterSeconds;
  return seconds === undefined ? {} : { 'retry-after': String(Math.max(0, Math.ceil(seconds))) };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A page for people: refusals are answered as French pages, a missing login by the way to log in. */
    page?: boolean;
  }
}

/**
 * A person's browser is answered with a page rather than JSON (src/web/shell/refusals.ts):
 * the reply sent, or undefined to answer as the API does. Plumbing does not render pages.
 */
export type PageRefusal = (request: FastifyRequest, reply: FastifyReply, refusal: RempartError, status: number) => FastifyReply | undefined;

/**
 * One rendering of every failure. Expected errors keep their code and status; Fastify's
 * own 4xx (bad JSON, wrong content type, body too large) keep their status under
 * REQUEST_INVALID; anything else is logged and answered as INTERNAL without details.
 */
export function registerErrorHandler(app: FastifyInstance, pages?: PageRefusal): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = asRempartError(error);
    if (known) {
      const status = statusOf(known, error);
      void reply.status(status).headers(refusalHeaders(known));
      return pages?.(request, reply, known, status) ?? reply.send({ code: known.code, message: known.message } satisfies ErrorBody);
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ code: 'INTERNAL', message: ErrorCodes.INTERNAL.message } satisfies ErrorBody);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404);
    return pages?.(request, reply, new RempartError('NOT_FOUND'), 404) ?? reply.send({ code: 'NOT_FOUND', message: ErrorCodes.NOT_FOUND.message } satisfies ErrorBody);
  });
}

/**
 * What Fastify refuses before routing (a badly percent-encoded path), which never reaches
 * the error handler: the same body as any other refusal. A Fastify option (frameworkErrors).
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const refusal = new RempartError('REQUEST_INVALID', error.code === 'FST_ERR_BAD_URL' ? 'URL mal encodée' : error.message);
  void reply.status(error.statusCode ?? errorStatus[refusal.code]).send({ code: refusal.code, message: refusal.message } satisfies ErrorBody);
}
