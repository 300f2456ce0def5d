/**
 * The URIs the FHIR edge speaks. National ones were checked against the ANS guides
 * (FR Core, Service d'accès aux soins FAQ): INS-NIR 1.2.250.1.213.1.4.8, INS-NIA …4.9;
 * 1.2.250.1.71.4.2.2 is IDNST, the national structure identifier *prefixed by its type*
 * (TRE_G07: 1 FINESS, 3 SIRET), and 1.2.250.1.71.4.2.1 is IDNPS (professionals), not SIRET.
 */
export const INS_NIR = 'urn:oid:1.2.250.1.213.1.4.8';
export const INS_NIA = 'urn:oid:1.2.250.1.213.1.4.9';
export const IDNST = 'urn:oid:1.2.250.1.71.4.2.2';

/**
 * Base of the code systems, naming systems and extensions we define. A reserved example
 * domain (RFC 2606) until the operator's own is chosen: these URIs are part of the public
 * contract, so change it before the first integration, never after.
 */
export const CANONICAL = 'https://rempart.example/fhir';
export const AMC_NUMBER = `${CANONICAL}/NamingSystem/numero-amc`;
export const CARE_DOMAIN = `${CANONICAL}/CodeSystem/domaine-soins`;
export const ERROR_CODE = `${CANONICAL}/CodeSystem/code-erreur`;
export const BENEFIT_TYPE = `${CANONICAL}/CodeSystem/type-garantie`;
/** valueString on Patient._birthDate: the birth date exactly as on the Vitale card, lunar ones (1962-00-00) included. */
export const LUNAR_BIRTH_DATE = `${CANONICAL}/StructureDefinition/date-naissance-lunaire`;
/** valuePositiveInt on Patient: the birth rank (twins); 1 when absent. */
export const BIRTH_RANK = `${CANONICAL}/StructureDefinition/rang-naissance`;
/** valueDateTime on CoverageEligibilityResponse: until when the engagement (preAuthRef) backs a calculation or an invoice. */
export const ENGAGEMENT_EXPIRY = `${CANONICAL}/StructureDefinition/expiration-engagement`;

export const HL7_BENEFIT_TYPE = 'http://terminology.hl7.org/CodeSystem/benefit-type';
export const HL7_SECURITY_SERVICE = 'http://terminology.hl7.org/CodeSystem/restful-security-service';

/** The R4 schema we validate against is 4.0.0's (see schema.ts); we announce the same. */
export const FHIR_VERSION = '4.0.0';
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
export const FHIR_BASE = '/fhir/r4';

/** Prior agreements (PEC) as Claim use=preauthorization → ClaimResponse (docs/fhir.md). */
/** Claim.item.productOrService: the act or product code as the REST API's `acte` (LPP code, CCAM or NGAP). */
export const ACT_CODE = `${CANONICAL}/CodeSystem/code-acte`;
/** Claim.item.bodySite: the eye or the ear of a lens or a hearing aid, D (right) or G (left). */
export const BODY_SIDE = `${CANONICAL}/CodeSystem/cote`;
/** Claim.item.programCode: the 100 % Santé offer (code 100-pourcent-sante). */
export const PROGRAM = `${CANONICAL}/CodeSystem/panier`;
/** Claim.supportingInfo.code: the date of the prescription (code date-prescription, timingDate). */
export const SUPPORTING_INFO = `${CANONICAL}/CodeSystem/information-complementaire`;
/** valueCode on Claim.item: what an optical or hearing line sells, in the REST API's words (monture, verre_simple…). */
export const DEVICE = `${CANONICAL}/StructureDefinition/dispositif`;
/** valueMoney on Claim.item: the AMO's unit reimbursement base. */
export const AMO_BASE = `${CANONICAL}/StructureDefinition/base-remboursement`;
/** valueUnsignedInt on Claim.item: the AMO's rate, in percent. */
export const AMO_RATE = `${CANONICAL}/StructureDefinition/taux-amo`;
/** valueMoney on Claim.item: the unit price limit (100 % Santé, optics class B). */
export const PRICE_LIMIT = `${CANONICAL}/StructureDefinition/prix-limite-vente`;
/** valueMoney on Claim.item: the line's participation forfaitaire (1 € per consultation…), which the complementary never pays. */
export const FLAT_FEE = `${CANONICAL}/StructureDefinition/participation-forfaitaire`;
/** valueMoney on Claim.item: the line's franchise médicale, which the complementary never pays. */
export const DEDUCTIBLE = `${CANONICAL}/StructureDefinition/franchise`;
/** valueBoolean on Claim.item: the doctor of the line is in OPTAM or OPTAM-CO; absent, not (excess fees capped). */
export const OPTAM = `${CANONICAL}/StructureDefinition/optam`;
/** valueMoney on ClaimResponse: how much an invoice's AMC part may exceed the amount granted. */
export const INVOICING_TOLERANCE = `${CANONICAL}/StructureDefinition/tolerance-facturation`;
/** valueCode on ClaimResponse: the agreement's status in the REST API's words (accorde, partiel, refuse, annule, expire). */
export const AGREEMENT_STATUS = `${CANONICAL}/StructureDefinition/statut-accord`;
/** valueString on ClaimResponse: the engagement the agreement was asked under. */
export const ENGAGEMENT = `${CANONICAL}/StructureDefinition/engagement`;
/** ClaimResponse.item.adjudication.reason: the coverage rule applied to the line (src/domain/coverage). */
export const COVERAGE_RULE = `${CANONICAL}/CodeSystem/regle-garantie`;

/** Invoices (DRE) as Claim use=claim → ClaimResponse (docs/fhir.md). */
/** Claim.identifier: the sender's invoice number, unique in its lot. */
export const INVOICE_NUMBER = `${CANONICAL}/NamingSystem/numero-facture`;
/** valueString on Claim, or Bundle.identifier: the sender's lot; a Claim sent alone is a lot of its own. */
export const LOT = `${CANONICAL}/StructureDefinition/lot`;
/** Bundle.identifier system for the lot. */
export const LOT_NUMBER = `${CANONICAL}/NamingSystem/numero-lot`;
/** valueMoney on Claim.item: the complementary's part claimed for the line. */
export const AMC_CLAIMED = `${CANONICAL}/StructureDefinition/montant-amc`;
/** valueMoney on Claim.item: the AMO's part of the line, checked against rate and base when given. */
export const AMO_AMOUNT = `${CANONICAL}/StructureDefinition/montant-amo`;
/** ClaimResponse.identifier: the platform's number of the decision (F…), under which it is read back. */
export const INVOICE_DECISION = `${CANONICAL}/NamingSystem/numero-decision-facture`;
/** valueCode on ClaimResponse: the invoice's status in the REST API's words (payee, payee_partiellement, rejetee). */
export const INVOICE_STATUS = `${CANONICAL}/StructureDefinition/statut-facture`;
/** valueString on ClaimResponse: the prior agreement an invoice was sent under. */
export const PRIOR_AGREEMENT = `${CANONICAL}/StructureDefinition/accord-prealable`;
/** ClaimResponse adjudication.reason and error.code: the reason codes of invoice decisions (docs/invoice-reasons.md). */
export const INVOICE_REASON = `${CANONICAL}/CodeSystem/motif-facture`;

export const HL7_CLAIM_TYPE = 'http://terminology.hl7.org/CodeSystem/claim-type';
export const HL7_ADJUDICATION = 'http://terminology.hl7.org/CodeSystem/adjudication';
export const HL7_INFO_CATEGORY = 'http://terminology.hl7.org/CodeSystem/claiminformationcategory';
export const HL7_PAYMENT_TYPE = 'http://terminology.hl7.org/CodeSystem/ex-paymenttype';
export const HL7_FINANCIAL_TASK = 'http://terminology.hl7.org/CodeSystem/financialtaskcode';
