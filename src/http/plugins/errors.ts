import type { FastifyError, FastifyInstance } from 'fastify';
import { ErrorCodes, RempartError, type ErrorCode } from '../../domain/errors/codes.js';

/** The API's error body: a stable code from the catalogue and a French message. */
export interface ErrorBody {
  code: ErrorCode | 'REQUEST_INVALID' | 'NOT_FOUND';
  message: string;
}

/**
 * One rendering of every failure. Expected errors keep their code and status; Fastify's
 * own 4xx (bad JSON, wrong content type, body too large) keep their status under
 * REQUEST_INVALID; anything else is logged and answered as INTERNAL without details.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RempartError) {
      return reply.status(error.status).send({ code: error.code, message: error.message } satisfies ErrorBody);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ code: 'REQUEST_INVALID', message: `Requête invalide : ${error.message}` } satisfies ErrorBody);
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ code: 'INTERNAL', message: ErrorCodes.INTERNAL.message } satisfies ErrorBody);
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ code: 'NOT_FOUND', message: 'Ressource inconnue' } satisfies ErrorBody));
}
