import type { FastifyInstance, FastifyRequest } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { requestPriorAgreement } from '../../claims/prior-agreements.js';
import { todayUtc } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { InvoiceOutcome, InvoiceRefusal } from '../../invoices/invoice.js';
import { adjudicateLot } from '../../invoices/lot.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { readFhirAgreementRequest } from '../agreement-request.js';
import { claimResponse } from '../claim-response.js';
import { readFhirInvoice } from '../invoice-request.js';
import { invoiceClaimResponse } from '../invoice-response.js';
import { sendResource } from '../media-type.js';

type Options = RightsDeps & { now: () => Date };

const isInvoice = (body: unknown): boolean => typeof body === 'object' && body !== null && (body as { use?: unknown }).use === 'claim';

/**
 * POST /fhir/r4/Claim: use claim, an invoice of POST /api/v1/invoices/lots as a lot of its
 * own; otherwise the prior agreement of POST /api/v1/prior-agreements (use preauthorization,
 * any other use refused there). Same services, answered as a ClaimResponse.
 */
export function claimRoute(scope: FastifyInstance, options: Options): void {
  scope.post('/Claim', async (request, reply) => sendResource(reply, isInvoice(request.body) ? await invoice(options, request) : await agreement(options, request)));
}

async function agreement(options: Options, request: FastifyRequest): Promise<object> {
  const now = options.now();
  const { asked, structure } = readFhirAgreementRequest(request.body);
  const caller = await callerOf(options.db, request, structure, now);
  return claimResponse(await requestPriorAgreement(options, caller, asked, now), todayUtc(now));
}

/** The same adjudication as a REST lot of one; its key reused with another body is refused as the REST lot refuses it, nothing decided. */
async function invoice(options: Options, request: FastifyRequest): Promise<object> {
  const now = options.now();
  const { lot, structure } = readFhirInvoice(request.body, todayUtc(now));
  const caller = await callerOf(options.db, request, structure, now);
  const decided = (await adjudicateLot(options, caller, lot, now)).invoices[0] as InvoiceOutcome | InvoiceRefusal;
  if ('refusal' in decided) throw new RempartError(decided.refusal, decided.invoiceNumber);
  return invoiceClaimResponse(decided, todayUtc(now));
}
