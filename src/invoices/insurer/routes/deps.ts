import type { Database } from '../../../db/database.js';

/** What the insurer's invoice routes need: the serving role's database and the clock (the default period is today). */
export interface InsurerInvoicesDeps {
  db: Database;
  now: () => Date;
}
