import { Readable, pipeline, type Writable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Database } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { DecisionPeriod } from '../../domain/invoices/period.js';
import { invoiceBatches, type InvoiceFilter } from './insurer-invoices.js';
import { csvColumns, invoiceLine } from './invoice-view.js';

/**
 * The invoices as CSV, read batch after batch as the file is written: memory stays flat
 * whatever the period holds. The byte-order mark lets a spreadsheet read the accents. A
 * read that fails midway destroys the returned stream with its error (the file ends short,
 * and its reader is told).
 */
export function invoicesCsv(db: Database, insurerId: number, filter: InvoiceFilter): Readable {
  const csv = stringify({ delimiter: ';', header: true, bom: true, columns: csvColumns });
  pipeline(Readable.from(csvRecords(db, insurerId, filter)), csv, () => undefined);
  return csv;
}

async function* csvRecords(db: Database, insurerId: number, filter: InvoiceFilter): AsyncGenerator<object> {
  for await (const batch of invoiceBatches(db, insurerId, filter)) {
    for (const row of batch) {
      const line = invoiceLine(row);
      yield { ...line, domaines: line.domaines.join(' ') };
    }
  }
}

/** The export of the command line: one insurer named by its AMC number, written to `out`. */
export async function exportInsurerInvoices(db: Database, amcNumber: string, period: DecisionPeriod, out: Writable): Promise<void> {
  const found = await db.query<{ id: number }>('SELECT id FROM insurer WHERE amc_number = $1', [amcNumber]);
  const insurerId = found.rows[0]?.id;
  if (insurerId === undefined) throw new RempartError('AMC_UNKNOWN', amcNumber);
  await pipelineAsync(invoicesCsv(db, insurerId, { period }), out);
}
