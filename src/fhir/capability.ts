import { AMC_NUMBER, BIRTH_RANK, CARE_DOMAIN, ENGAGEMENT_EXPIRY, ERROR_CODE, FHIR_BASE, FHIR_VERSION, HL7_SECURITY_SERVICE, IDNST, INS_NIA, INS_NIR, LUNAR_BIRTH_DATE } from './systems.js';

/** The day this statement last changed: it describes the code, not the moment it is asked. */
const STATEMENT_DATE = '2026-11-22';

const requestDoc = [
  'POST d’une CoverageEligibilityRequest (identification des droits, IDB) ; réponse 200 synchrone : une CoverageEligibilityResponse. Rien n’est conservé sous cette ressource (pas de Location, pas de lecture).',
  `Lus : Patient contenu (patient = #id) avec identifier INS-NIR (${INS_NIR}) ou INS-NIA (${INS_NIA}), birthDate ou, pour une date lunaire, l’extension ${LUNAR_BIRTH_DATE} (valueString) sur _birthDate, rang de naissance en extension ${BIRTH_RANK} (1 par défaut) ;`,
  `Coverage contenue (insurance[0].coverage = #id) avec payor.identifier ${AMC_NUMBER} (numéro AMC) et subscriberId (numéro d’adhérent) ; servicedDate (aujourd’hui par défaut) ; item.category (${CARE_DOMAIN}, un seul domaine) ;`,
  `pour une personne connectée, la structure : facility ou provider.identifier IDNST (${IDNST}, 1 + FINESS ou 3 + SIRET). purpose : validation et/ou benefits.`,
  `Réponse : insurance[0].inforce, un item par domaine couvert (category, description = garantie), preAuthRef = numéro d’engagement, extension ${ENGAGEMENT_EXPIRY} = son expiration.`,
  '« Non couvert » est une réponse unique, quelle qu’en soit la raison.',
].join(' ');

/** GET /fhir/r4/metadata: exactly what the FHIR edge serves, no more. */
export function capabilityStatement(publicOrigin: string): object {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: STATEMENT_DATE,
    publisher: 'Rempart',
    kind: 'instance',
    software: { name: 'Rempart' },
    implementation: { description: 'Rempart : identification des droits des organismes complémentaires en FHIR R4', url: `${publicOrigin}${FHIR_BASE}` },
    fhirVersion: FHIR_VERSION,
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: `Erreurs : OperationOutcome, issue.details.coding = notre code stable (${ERROR_CODE}), details.text = message en français ; mêmes statuts HTTP que l’API REST.`,
        security: {
          cors: false,
          service: [{ coding: [{ system: HL7_SECURITY_SERVICE, code: 'OAuth' }] }],
          description:
            'Logiciels : jeton OAuth 2 client_credentials (private_key_jwt) lié par DPoP (RFC 9449), en-tête Rempart-Professionnel = RPPS. Professionnels : session des pages (Pro Santé Connect ou clé d’accès).',
        },
        resource: [{ type: 'CoverageEligibilityRequest', documentation: requestDoc, interaction: [{ code: 'create', documentation: 'Voir la ressource : réponse 200 avec une CoverageEligibilityResponse, sans création.' }] }],
      },
    ],
  };
}
