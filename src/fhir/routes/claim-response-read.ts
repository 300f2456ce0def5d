import type { FastifyInstance } from 'fastify';
import { callerOf, type Caller } from '../../access/caller.js';
import { consultPriorAgreement } from '../../claims/prior-agreement-lookup.js';
import { agreementParams } from '../../claims/routes/prior-agreement-get.js';
import { todayUtc } from '../../domain/dates.js';
import { consultInvoice } from '../../invoices/invoice-lookup.js';
import { invoiceParams } from '../../invoices/routes/invoice-get.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { claimResponse } from '../claim-response.js';
import { FhirInputError } from '../input-error.js';
import { invoiceClaimResponse } from '../invoice-response.js';
import { sendResource } from '../media-type.js';

type Options = RightsDeps & { now: () => Date };

/** What a number names, by its pattern: a prior agreement (P…) or an invoice's decision (F…), each read as its REST consultation reads it. */
const readers: [RegExp, (options: Options, caller: Caller, number: string, now: Date) => Promise<object>][] = [
  [new RegExp(agreementParams.properties.number.pattern), async (options, caller, number, now) => claimResponse(await consultPriorAgreement(options, caller, number, now), todayUtc(now))],
  [new RegExp(invoiceParams.properties.number.pattern), async (options, caller, number, now) => invoiceClaimResponse(await consultInvoice(options, caller, number, now), todayUtc(now))],
];

/**
 * GET /fhir/r4/ClaimResponse/{id}: an agreement with its status of the day
 * (GET /api/v1/prior-agreements/:number) or an invoice's decision (GET /api/v1/invoices/:number),
 * for the site that asked. A person on the pages names the structure with ?structure=, as on
 * the REST API; software acts for its own.
 */
export function claimResponseReadRoute(scope: FastifyInstance, options: Options): void {
  scope.get<{ Params: { id: string }; Querystring: { structure?: string } }>('/ClaimResponse/:id', async (request, reply) => {
    const now = options.now();
    const read = readers.find(([pattern]) => pattern.test(request.params.id))?.[1];
    if (!read) throw new FhirInputError('FIELD_INVALID', 'ClaimResponse.id', 'numéro d’accord préalable (P…) ou de facture (F…) attendu');
    const structure = typeof request.query.structure === 'string' ? request.query.structure : undefined;
    const caller = await callerOf(options.db, request, structure, now);
    return sendResource(reply, await read(options, caller, request.params.id, now));
  });
}
