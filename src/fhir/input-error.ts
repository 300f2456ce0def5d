import { RempartError, type ErrorCode } from '../domain/errors/codes.js';

/**
 * A refused FHIR request, naming the element at fault as FHIRPath (`Patient.birthDate`),
 * which the OperationOutcome carries in `issue.expression`.
 */
export class FhirInputError extends RempartError {
  constructor(
    code: ErrorCode,
    readonly expression: string,
    reason?: string,
  ) {
    super(code, reason === undefined ? expression : `${expression} : ${reason}`);
  }
}
