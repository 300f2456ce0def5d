import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { consultPriorAgreement } from '../../claims/prior-agreement-lookup.js';
import { agreementParams } from '../../claims/routes/prior-agreement-get.js';
import { todayUtc } from '../../domain/dates.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { claimResponse } from '../claim-response.js';
import { FhirInputError } from '../input-error.js';
import { sendResource } from '../media-type.js';

const NUMBER = new RegExp(agreementParams.properties.number.pattern);

/**
 * GET /fhir/r4/ClaimResponse/{preAuthRef}: the agreement with its status of the day, for the
 * site that asked (GET /api/v1/prior-agreements/:number). A person on the pages names the
 * structure with ?structure=, as on the REST API; software acts for its own.
 */
export function claimResponseReadRoute(scope: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  scope.get<{ Params: { id: string }; Querystring: { structure?: string } }>('/ClaimResponse/:id', async (request, reply) => {
    const now = options.now();
    if (!NUMBER.test(request.params.id)) throw new FhirInputError('FIELD_INVALID', 'ClaimResponse.id', 'numéro d’accord préalable (preAuthRef) attendu');
    const structure = typeof request.query.structure === 'string' ? request.query.structure : undefined;
    const caller = await callerOf(options.db, request, structure, now);
    return sendResource(reply, claimResponse(await consultPriorAgreement(options, caller, request.params.id, now), todayUtc(now)));
  });
}
