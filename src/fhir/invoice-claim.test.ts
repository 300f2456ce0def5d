import { describe, expect, it } from 'vitest';
import { today } from '../clock.js';
import { addDays } from '../domain/dates.js';
import { readFhirInvoiceBundle } from './invoice-bundle.js';
import { readInvoiceClaim } from './invoice-claim.js';
import { readFhirInvoice } from './invoice-request.js';
import { AMO_AMOUNT, LOT } from './systems.js';
import { invoiceBundle, invoiceClaim, type InvoiceLine } from './test-support/invoice.js';
import type { Claim } from './types.js';

const TODAY = today();
const ENGAGEMENT = 'E12345678-ABCDEFGHIJKLMNOP';
const AGREEMENT = 'P12345678-ABCDEFGHIJKLMNOP';
/** A specialist's consultation with an excess fee, outside OPTAM: the 2 € participation forfaitaire is the patient's. */
const consultation: InvoiceLine = { acte: 'APC', domaine: 'MED', quantite: 1, prix: 8_000, base: 5_500, tauxAmo: 70, participationForfaitaire: 200, optam: false, montantAmc: 1_650 };
const medicine: InvoiceLine = { acte: 'PHA', domaine: 'PHAR', quantite: 2, prix: 1_000, base: 1_000, tauxAmo: 65, franchise: 100, montantAmc: 700 };

describe('an invoice Claim read as the REST API’s invoice of a lot', () => {
  it('maps its number, reference, care day and every line field, participation forfaitaire, franchise and OPTAM included', () => {
    const claim = invoiceClaim('F-0001', ENGAGEMENT, TODAY, [consultation, medicine], '123456789');
    ((claim.item as { extension: object[] }[])[1]?.extension ?? []).push({ url: AMO_AMOUNT, valueMoney: { value: 13, currency: 'EUR' } });
    const { invoice, lot, structure } = readInvoiceClaim(claim as unknown as Claim);
    expect([lot, structure]).toEqual([undefined, '123456789']);
    expect(invoice).toEqual({
      numero: 'F-0001',
      engagement: ENGAGEMENT,
      dateSoins: TODAY,
      lignes: [
        { acte: 'APC', domaine: 'MED', quantite: 1, prix: 8_000, base: 5_500, tauxAmo: 70, participationForfaitaire: 200, optam: false, montantAmc: 1_650 },
        { acte: 'PHA', domaine: 'PHAR', quantite: 2, prix: 1_000, base: 1_000, tauxAmo: 65, franchise: 100, montantAmo: 1_300, montantAmc: 700 },
      ],
    });
    const { lot: read } = readFhirInvoice(claim, TODAY);
    expect(read.lot).toBe('F-0001');
    expect(read.invoices[0]?.lines.map((claimed) => [claimed.line.flatFeeCents, claimed.line.deductibleCents, claimed.line.optam, claimed.amoCents])).toEqual([[200, 0, false, undefined], [0, 100, undefined, 1_300]]);
  });

  it('names a prior agreement by its letter, and a lot by its extension', () => {
    const claim = { ...invoiceClaim('F-0002', AGREEMENT, TODAY, [medicine]), extension: [{ url: LOT, valueString: 'L-7' }] };
    const { lot } = readFhirInvoice(claim, TODAY);
    expect([lot.lot, lot.invoices[0]?.agreement, lot.invoices[0]?.engagement]).toEqual(['L-7', AGREEMENT, null]);
  });

  it('keys a Claim by its REST body: the same invoice with other FHIR-only elements is the same, another amount is another', () => {
    const hash = (claim: object): string => readFhirInvoice(claim, TODAY).lot.invoices[0]?.bodyHash.toString('hex') ?? '';
    const claim = invoiceClaim('F-0003', ENGAGEMENT, TODAY, [medicine]);
    expect(hash({ ...claim, created: addDays(TODAY, -1) })).toBe(hash(claim));
    expect(hash(invoiceClaim('F-0003', ENGAGEMENT, TODAY, [{ ...medicine, montantAmc: 600 }]))).not.toBe(hash(claim));
  });

  it('reads a batch Bundle as one lot, and names a fault inside it by its entry', () => {
    const claims = [invoiceClaim('F1', ENGAGEMENT, TODAY, [medicine]), invoiceClaim('F2', AGREEMENT, TODAY, [medicine])];
    const { lot } = readFhirInvoiceBundle(invoiceBundle('L-9', claims), TODAY);
    expect([lot.lot, lot.invoices.map((invoice) => invoice.number)]).toEqual(['L-9', ['F1', 'F2']]);
    const noRate = structuredClone(claims);
    ((noRate[1]?.item as { extension: object[] }[])[0] as { extension: object[] }).extension.splice(1, 1);
    expect(() => readFhirInvoiceBundle(invoiceBundle('L-9', noRate), TODAY)).toThrow("Bundle.entry[1].resource.item[0].extension('https://rempart.example/fhir/StructureDefinition/taux-amo')");
  });
});
