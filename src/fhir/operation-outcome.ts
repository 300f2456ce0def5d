import type { FastifyError, FastifyInstance } from 'fastify';
import { asRempartError, refusalHeaders, statusOf } from '../http/plugins/errors.js';
import { ErrorCodes, RempartError, type ErrorCode } from '../domain/errors/codes.js';
import { errorStatus } from '../http/error-status.js';
import { FhirInputError } from './input-error.js';
import { sendResource } from './media-type.js';
import { ERROR_CODE } from './systems.js';

/** R4 IssueType codes (http://hl7.org/fhir/issue-type) for our codes, when the status alone says too little. */
const issueTypes: Partial<Record<ErrorCode, string>> = {
  FHIR_RESOURCE_INVALID: 'structure',
  FIELD_MISSING: 'required',
  FIELD_UNKNOWN: 'structure',
  FIELD_DUPLICATE: 'structure',
  BODY_INVALID: 'structure',
  BODY_TOO_LARGE: 'too-long',
  CONTENT_TYPE_UNSUPPORTED: 'not-supported',
  CARE_DOMAIN_UNKNOWN: 'code-invalid',
};

function issueType(code: ErrorCode, status: number): string {
  const byStatus: Record<number, string> = { 400: 'value', 401: 'login', 403: 'forbidden', 404: 'not-found', 422: 'business-rule', 429: 'throttled' };
  return issueTypes[code] ?? byStatus[status] ?? (status >= 500 ? 'exception' : 'invalid');
}

/** One issue: the IssueType, our stable code in `details.coding`, the French message in `details.text`. */
export function operationOutcome(error: RempartError): object {
  const expression = error instanceof FhirInputError ? { expression: [error.expression] } : {};
  const status = errorStatus[error.code];
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: status >= 500 ? 'fatal' : 'error',
        code: issueType(error.code, status),
        details: { coding: [{ system: ERROR_CODE, code: error.code, display: ErrorCodes[error.code].message }], text: error.message },
        ...expression,
      },
    ],
  };
}

/**
 * In the FHIR scope only: every refusal as an OperationOutcome with the REST API's status
 * and code, the access layer's included (its hook throws into the route's scope).
 */
export function registerFhirErrors(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError, request, reply) => {
    const known = asRempartError(error);
    if (!known) request.log.error({ err: error }, 'unexpected error');
    const rendered = known ?? new RempartError('INTERNAL');
    return sendResource(reply.headers(refusalHeaders(rendered)), operationOutcome(rendered), statusOf(rendered, error));
  });
  scope.setNotFoundHandler((request, reply) => sendResource(reply, operationOutcome(new RempartError('NOT_FOUND', `${request.method} ${request.url.split('?')[0] ?? ''}`)), 404));
}
