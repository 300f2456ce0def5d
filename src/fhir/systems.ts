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
