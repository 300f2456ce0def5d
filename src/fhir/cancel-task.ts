import { agreementParams } from '../claims/routes/prior-agreement-get.js';
import { structureOf } from './eligibility-request.js';
import { FhirInputError } from './input-error.js';
import { schemaViolation } from './schema.js';
import { HL7_FINANCIAL_TASK } from './systems.js';
import type { Task } from './types.js';

const NUMBER = new RegExp(agreementParams.properties.number.pattern);
const FOCUS = /^ClaimResponse\/(.+)$/;

/**
 * A Task asking to cancel a prior agreement (docs/fhir.md): code cancel of the R4
 * financial task codes, focus the ClaimResponse (ClaimResponse/{preAuthRef}), status
 * requested; a person names the structure with an IDNST on requester.
 */
export function readCancelTask(resource: unknown): { number: string; structure: string | undefined } {
  const violation = schemaViolation('Task', resource);
  if (violation) throw violation;
  const task = resource as Task;
  if (!task.code?.coding?.some((c) => c.system === HL7_FINANCIAL_TASK && c.code === 'cancel')) {
    throw new FhirInputError('FIELD_INVALID', 'Task.code', `seul le code cancel du système ${HL7_FINANCIAL_TASK} est pris en charge`);
  }
  if (task.status !== 'requested') throw new FhirInputError('FIELD_INVALID', 'Task.status', 'requested attendu');
  const number = FOCUS.exec(task.focus?.reference ?? '')?.[1];
  if (number === undefined) throw new FhirInputError('FIELD_MISSING', 'Task.focus', 'référence ClaimResponse/{preAuthRef} attendue');
  if (!NUMBER.test(number)) throw new FhirInputError('FIELD_INVALID', 'Task.focus', 'numéro d’accord préalable invalide');
  return { number, structure: structureOf('Task', [['requester', task.requester]]) };
}

/** The Task as done: the agreement is cancelled and its reservations released. */
export function completedCancelTask(number: string, now: Date): object {
  return {
    resourceType: 'Task',
    status: 'completed',
    intent: 'order',
    code: { coding: [{ system: HL7_FINANCIAL_TASK, code: 'cancel' }] },
    focus: { reference: `ClaimResponse/${number}` },
    lastModified: now.toISOString(),
    businessStatus: { text: 'Accord préalable annulé, montants réservés libérés' },
  };
}
