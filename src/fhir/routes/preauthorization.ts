import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { requestPriorAgreement } from '../../claims/prior-agreements.js';
import { todayUtc } from '../../domain/dates.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { readFhirAgreementRequest } from '../agreement-request.js';
import { claimResponse } from '../claim-response.js';
import { sendResource } from '../media-type.js';

/** POST /fhir/r4/Claim, use preauthorization: the prior agreement of POST /api/v1/prior-agreements, same service, as a ClaimResponse. */
export function preauthorizationRoute(scope: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  scope.post('/Claim', async (request, reply) => {
    const now = options.now();
    const { asked, structure } = readFhirAgreementRequest(request.body);
    const caller = await callerOf(options.db, request, structure, now);
    const agreement = await requestPriorAgreement(options, caller, asked, now);
    return sendResource(reply, claimResponse(agreement, todayUtc(now)));
  });
}
