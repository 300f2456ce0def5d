import type { FastifyPluginCallback } from 'fastify';
import type { ChangeOptions } from './bank-accounts/changes.js';
import { bankAccountCancelRoute } from './bank-accounts/routes/cancel.js';
import { bankAccountConfirmRoute } from './bank-accounts/routes/confirm.js';
import { operatorConfirmRoute } from './bank-accounts/routes/operator-confirm.js';
import { pendingChangesRoute } from './bank-accounts/routes/pending.js';
import { bankAccountProposeRoute } from './bank-accounts/routes/propose.js';
import { bankAccountViewRoute } from './bank-accounts/routes/view.js';
import { exceptionsListRoute } from './reconciliation/routes/exceptions-list.js';
import { statementImportRoute } from './reconciliation/routes/statement-import.js';

/** Payments (issue 18): the sites' bank accounts and how they change; the operator's bank reconciliation. */
export const paymentsPlugin: FastifyPluginCallback<ChangeOptions> = (app, options, done) => {
  bankAccountViewRoute(app, options);
  bankAccountProposeRoute(app, options);
  bankAccountConfirmRoute(app, options);
  bankAccountCancelRoute(app, options);
  operatorConfirmRoute(app, options);
  pendingChangesRoute(app, options);
  statementImportRoute(app, options);
  exceptionsListRoute(app, options);
  done();
};
