/**
 * Who may call what: one declared table for the whole platform. The server refuses to
 * start with a route missing from it, and a test walks every route × every role.
 * - `client`: practice software acting for a professional (DPoP-bound token);
 * - `professional`: a person from the professionals directory, logged in on the pages;
 * - `site_admin`: a professional who holds (titulaire, associé) an active activity at a
 *   site, or was delegated its administration: manages that site's software and delegations;
 * - `insurer_agent`: an insurer's staff member, confined to that insurer's data;
 * - `security_officer`: the platform's security and data-protection team;
 * - `operator_admin`: the operator's administrators (staff accounts);
 * - `member_portal`: an insurer's member portal (a client bound to one insurer, DPoP-bound
 *   token), for its members' access history (src/transparency).
 */
export type Role = 'client' | 'professional' | 'site_admin' | 'insurer_agent' | 'security_officer' | 'operator_admin' | 'member_portal';

export interface RoleRule {
  roles: readonly Role[];
  /** The person must have proved presence (login or step-up) within STEP_UP_SECONDS. */
  stepUp: boolean;
  /**
   * The route enrols, changes or withdraws something that later authenticates (a passkey,
   * software keys, a delegation, an account): the person's session needs a strong proof
   * minutes old, given from this network or this device (src/access/people/strong-proof.ts).
   */
  enrols?: boolean;
  /**
   * The route discloses a person's data: it goes through the door (src/disclosure), and a
   * test calls it as a hit, a miss and a refusal, one record each (src/disclosure/walk.test.ts).
   */
  discloses?: 'rights_check' | 'coverage' | 'engagement' | 'prior_agreement' | 'invoice' | 'transparency' | 'member_export';
}

export type RoutePolicy = 'public' | RoleRule;

/** How recent a proof of presence a sensitive action needs. */
export const STEP_UP_SECONDS = 300;

const only = (...roles: Role[]): RoleRule => ({ roles, stepUp: false });
/** Actions that open access or change who holds it: a stolen session alone is not enough. */
const fresh = (...roles: Role[]): RoleRule => ({ roles, stepUp: true });
/** Credentials follow strong proof (THREATS.md 12): a stolen cookie enrols nothing, not even the first passkey. */
const enrolling = (...roles: Role[]): RoleRule => ({ roles, stepUp: false, enrols: true });
/** A disclosure of a person's data, through the door. */
const disclosing = (purpose: NonNullable<RoleRule['discloses']>, ...roles: Role[]): RoleRule => ({ roles, stepUp: false, discloses: purpose });

const people: Role[] = ['professional', 'site_admin', 'insurer_agent', 'security_officer', 'operator_admin'];

export const policy: Readonly<Record<string, RoutePolicy>> = {
  'GET /': 'public',
  // The bundled browser code and stylesheet (src/web/assets), under hashed names.
  'GET /static/:file': 'public',
  'GET /health': 'public',
  'GET /api/openapi.json': 'public',
  'POST /oauth/token': 'public',
  'GET /.well-known/oauth-authorization-server': 'public',
  'GET /api/v1/session': only('client'),
  'POST /api/v1/rights/check': disclosing('rights_check', 'client', 'professional'),
  'POST /api/v1/coverage/calculate': disclosing('coverage', 'client', 'professional'),
  'POST /api/v1/prior-agreements': disclosing('prior_agreement', 'client', 'professional'),
  'GET /api/v1/prior-agreements/:number': disclosing('prior_agreement', 'client', 'professional'),
  'POST /api/v1/prior-agreements/:number/cancel': disclosing('prior_agreement', 'client', 'professional'),
  'POST /api/v1/invoices/lots': disclosing('invoice', 'client', 'professional'),
  // A lot kept for later (Prefer: respond-async): its status, and once decided the decisions, each recorded
  // as a disclosure when the worker made it; for the site that sent the lot only.
  'GET /api/v1/invoices/lots/:lot': only('client', 'professional'),
  'GET /api/v1/invoices/returns': disclosing('invoice', 'client', 'professional'),
  'GET /api/v1/invoices/returns.csv': disclosing('invoice', 'client', 'professional'),
  'GET /api/v1/invoices/:number': disclosing('invoice', 'client', 'professional'),
  'POST /api/v1/invoices/:number/cancel': disclosing('invoice', 'client', 'professional'),
  'POST /api/v1/engagements/:number/cancel': disclosing('engagement', 'client', 'professional'),
  // A site's transfers and their remittances (src/payments/tracking): invoice numbers and amounts
  // the site sent itself, nothing of the beneficiary or the care, hence not a disclosure (tracking.ts).
  'GET /api/v1/payments': only('client', 'professional'),
  'GET /api/v1/payments/:reference': only('client', 'professional'),
  // The operator's bank reconciliation (src/payments/reconciliation): a statement moves transfers
  // and re-opens invoices, so importing one needs a fresh proof; its exceptions are references and amounts.
  'POST /api/v1/payments/statements': fresh('operator_admin'),
  'GET /api/v1/payments/exceptions': only('operator_admin'),
  'GET /fhir/r4/metadata': 'public',
  'POST /fhir/r4/CoverageEligibilityRequest': disclosing('rights_check', 'client', 'professional'),
  // A prior agreement (use preauthorization) or an invoice (use claim), and either read back.
  'POST /fhir/r4/Claim': disclosing('prior_agreement', 'client', 'professional'),
  'GET /fhir/r4/ClaimResponse/:id': disclosing('prior_agreement', 'client', 'professional'),
  // A batch Bundle: a lot of invoices.
  'POST /fhir/r4': disclosing('invoice', 'client', 'professional'),
  'POST /fhir/r4/Task': disclosing('prior_agreement', 'client', 'professional'),
  'GET /auth/login': 'public',
  'GET /auth/callback': 'public',
  'POST /auth/logout': 'public',
  'GET /moi': only(...people),
  'GET /soins': only('professional'),
  'GET /factures': only('professional'),
  // Frames that read through the prior agreements, payments and site APIs.
  'GET /accords': only('professional'),
  'GET /paiements': only('professional'),
  'GET /structure': only('site_admin'),
  // The security console's pages: frames that read through the security API below.
  'GET /securite': only('security_officer'),
  'GET /securite/comptes/:rpps': only('security_officer'),
  // The insurer console's pages: frames that read through the insurer API below.
  'GET /organisme': only('insurer_agent'),
  'GET /organisme/factures': only('insurer_agent'),
  'GET /organisme/financement': only('insurer_agent'),
  'GET /organisme/incidents': only('insurer_agent'),
  'GET /securite/incidents': only('security_officer'),
  'GET /securite/incidents/:incidentId': only('security_officer'),
  // Asked at the options already, so that the page sends the person to confirm before the authenticator is called.
  'POST /auth/passkey/register/options': enrolling(...people),
  'POST /auth/passkey/register': enrolling(...people),
  'POST /auth/passkeys/:credentialId/revoke': enrolling(...people),
  // Closing a session of one's own is protective: never in the way.
  'POST /auth/sessions/:sessionRef/revoke': only(...people),
  'POST /auth/passkey/login/options': 'public',
  'POST /auth/passkey/login': 'public',
  'POST /auth/step-up/options': only(...people),
  'POST /auth/step-up': only(...people),
  'GET /api/v1/site/clients': only('site_admin'),
  'POST /api/v1/site/clients': enrolling('site_admin'),
  'PUT /api/v1/site/clients/:clientId/keys': enrolling('site_admin'),
  // Suspending is protective and must be quick: no step-up in the way.
  'POST /api/v1/site/clients/:clientId/suspend': only('site_admin'),
  'GET /api/v1/site/delegations': only('site_admin'),
  'POST /api/v1/site/delegations': enrolling('site_admin'),
  'POST /api/v1/site/delegations/:delegationId/revoke': only('site_admin'),
  // A site's bank account (src/payments/bank-accounts): whoever changes it diverts its payments,
  // so proposing and confirming are treated as enrolments; cancelling is protective.
  'GET /api/v1/site/bank-account': only('site_admin'),
  'POST /api/v1/site/bank-account': enrolling('site_admin'),
  'POST /api/v1/site/bank-account/pending/confirm': enrolling('site_admin'),
  'POST /api/v1/site/bank-account/pending/cancel': only('site_admin'),
  'GET /api/v1/insurer/loads': only('insurer_agent'),
  // The insurer's invoices (src/invoices/insurer): never naming the beneficiary, so no access record; its own insurer only, by the database's scope.
  'GET /api/v1/insurer/invoices': only('insurer_agent'),
  'GET /api/v1/insurer/invoices/rejections': only('insurer_agent'),
  'GET /api/v1/insurer/invoices/due': only('insurer_agent'),
  'GET /api/v1/insurer/invoices/export.csv': only('insurer_agent'),
  // Near duplicates held (migration 034): the agent decides them on the same terms, still never seeing who was cared for.
  'GET /api/v1/insurer/invoices/held': only('insurer_agent'),
  'POST /api/v1/insurer/invoices/:number/review': only('insurer_agent'),
  // What the insurer funds of each payment run (src/payments/funding), under its row-level scope.
  'GET /api/v1/insurer/funding': only('insurer_agent'),
  'GET /api/v1/insurer/funding/:month': only('insurer_agent'),
  // Its member portals (clients bound to the insurer): names and key ids, read only.
  'GET /api/v1/insurer/portal-clients': only('insurer_agent'),
  'GET /api/v1/security/auth-events': only('security_officer'),
  'GET /api/v1/security/suspensions': only('security_officer'),
  'GET /api/v1/security/enrolments': only('security_officer'),
  'POST /api/v1/security/suspensions': only('security_officer'),
  'POST /api/v1/security/suspensions/:suspensionId/lift': fresh('security_officer'),
  // The shield's console (src/shield/routes): reading and acknowledging, nothing that opens access.
  'GET /api/v1/security/alerts': only('security_officer'),
  'POST /api/v1/security/alerts/:alertId/acknowledge': only('security_officer'),
  'GET /api/v1/security/accounts/:rpps/timeline': only('security_officer'),
  'GET /api/v1/security/accounts/:rpps/signals': only('security_officer'),
  'GET /api/v1/security/shield/thresholds': only('security_officer'),
  'GET /api/v1/security/audit-log': only('security_officer'),
  // Incidents (src/incidents/routes): member numbers come back only with two officers' fresh approvals.
  'GET /api/v1/incidents': only('security_officer'),
  'POST /api/v1/incidents': only('security_officer'),
  'GET /api/v1/incidents/:incidentId': only('security_officer'),
  'POST /api/v1/incidents/:incidentId/snapshots': only('security_officer'),
  'POST /api/v1/incidents/snapshots/:snapshotId/member-exports': { ...fresh('security_officer'), discloses: 'member_export' },
  'POST /api/v1/incidents/member-exports/:exportId/approvals': { ...fresh('security_officer'), discloses: 'member_export' },
  // An insurer's own lines of the incidents' frozen snapshots, under its row-level scope:
  // pseudonymous (no member number, which only the four-eyes export gives), hence no access record.
  'GET /api/v1/insurer/incidents': only('insurer_agent'),
  'GET /api/v1/insurer/incidents/:incidentId': only('insurer_agent'),
  'GET /api/v1/insurer/incidents/snapshots/:snapshotId/inclusion-proofs': only('insurer_agent'),
  // Counts and categories, no member: an approved export's documents, for the officers who write to the insurers.
  'GET /api/v1/incidents/member-exports/:exportId/documents/:amc/:document': only('security_officer'),
  // Transparency (src/transparency): a member's access history, for the insurer's portal;
  // the page it links to carries its own single-use credential.
  'POST /api/v1/transparency/accesses': disclosing('transparency', 'member_portal'),
  // A link names a member to their own insurer's portal and is its own record (transparency_link);
  // the page spends it in the transaction that reads and records the history.
  'POST /api/v1/transparency/links': only('member_portal'),
  'GET /transparence/:jeton': 'public',
  'GET /api/v1/admin/staff': only('operator_admin'),
  'POST /api/v1/admin/staff': enrolling('operator_admin'),
  'POST /api/v1/admin/sites/:siteId/bank-account/confirm': enrolling('operator_admin'),
  'GET /api/v1/admin/bank-account-changes': only('operator_admin'),
  // The operator's administration (src/operations): counts and dates, no person.
  'GET /api/v1/admin/insurers': only('operator_admin'),
  'GET /api/v1/admin/health': only('operator_admin'),
  'GET /administration': only('operator_admin'),
  // The local stand-in for Pro Santé Connect (development and demo only).
  'GET /idp/*': 'public',
  'POST /idp/*': 'public',
  'GET /idp/interaction/:uid': 'public',
  'POST /idp/interaction/:uid': 'public',
};

/** HEAD follows GET, as Fastify serves it. */
export function policyFor(method: string, url: string): RoutePolicy | undefined {
  return policy[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}
