import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { schemaViolation } from '../schema.js';

export const ELIGIBILITY_PATH = '/fhir/r4/CoverageEligibilityRequest';

export { eligibilityRequest, type RequestOptions } from '../practice-request.js';

/** POSTs a resource (or any text) as application/fhir+json. */
export function postFhir(app: FastifyInstance, headers: Record<string, string>, body: unknown, url = ELIGIBILITY_PATH): Promise<LightMyRequestResponse> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return app.inject({ method: 'POST', url, headers: { 'content-type': 'application/fhir+json', ...headers }, payload });
}

/** The resource's first departure from the R4 schema, as a message; undefined when it conforms. */
export function r4Violation(resource: unknown): string | undefined {
  const type = (resource as { resourceType?: unknown }).resourceType;
  return typeof type === 'string' ? schemaViolation(type, resource)?.message : 'resourceType absent';
}

/** Status, stable code and FHIRPath of an OperationOutcome answer, e.g. "400 IDENTIFIER_KEY Patient.identifier". */
export function refusalOf(response: LightMyRequestResponse): string {
  const issue = response.json<{ issue: { details: { coding: { code: string }[] }; expression?: string[] }[] }>().issue[0];
  return [response.statusCode, issue?.details.coding[0]?.code, ...(issue?.expression ?? [])].join(' ');
}
