import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { todayUtc } from '../../domain/dates.js';
import { adjudicateLot } from '../../invoices/lot.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { readFhirInvoiceBundle } from '../invoice-bundle.js';
import { batchResponse } from '../invoice-response.js';
import { sendResource } from '../media-type.js';

/** A lot of a hundred Claims of a few items each outgrows the platform's 64 KiB: this route alone takes up to 1 MiB. */
export const BATCH_BODY_LIMIT = 1024 * 1024;

/** POST /fhir/r4, a Bundle of type batch: a lot of invoices of POST /api/v1/invoices/lots, answered as a batch-response of ClaimResponses. */
export function batchRoute(scope: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  scope.post('', { bodyLimit: BATCH_BODY_LIMIT }, async (request, reply) => {
    const now = options.now();
    const { lot, structure } = readFhirInvoiceBundle(request.body, todayUtc(now));
    const caller = await callerOf(options.db, request, structure, now);
    return sendResource(reply, batchResponse(await adjudicateLot(options, caller, lot, now), todayUtc(now)));
  });
}
