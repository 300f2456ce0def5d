import type { ErrorObject } from 'ajv';
import { RempartError, type ErrorCode } from '../domain/errors/codes.js';

/**
 * A refused FHIR request, naming the element at fault as FHIRPath (`Patient.birthDate`),
 * which the OperationOutcome carries in `issue.expression`.
 */
export class FhirInputError extends RempartError {
  constructor(
    code: ErrorCode,
    readonly expression: string,
    readonly reason?: string,
  ) {
    super(code, reason === undefined ? expression : `${expression} : ${reason}`);
  }

  /** The same refusal for a resource read inside another (a Bundle's entry): `Claim.item` → `Bundle.entry[2].resource.item`. */
  within(type: string, path: string): FhirInputError {
    return this.expression === type || this.expression.startsWith(`${type}.`) ? new FhirInputError(this.code, path + this.expression.slice(type.length), this.reason) : this;
  }
}

/**
 * The REST body a FHIR resource was read into failed its route's schema: the refusal names
 * the FHIR element it came from (`where`), with the schema's reason in French.
 */
export function restShapeError(error: ErrorObject | undefined, where: string): FhirInputError {
  const limit = (error?.params as { limit?: number } | undefined)?.limit;
  const reasons: Record<string, string> = {
    maxLength: `${limit} caractères au plus`,
    minLength: `${limit} caractère au moins`,
    maximum: `${limit} au plus`,
    minimum: `${limit} au moins`,
    maxItems: `${limit} items au plus`,
    enum: 'valeur inconnue',
    type: 'type invalide',
  };
  return new FhirInputError('FIELD_INVALID', where, reasons[error?.keyword ?? ''] ?? 'valeur invalide');
}
