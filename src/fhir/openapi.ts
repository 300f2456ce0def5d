import type { OperationDocs } from '../http/api-docs.js';
import { tags } from '../http/api-docs.js';
import { AMC_NUMBER, BIRTH_RANK, CARE_DOMAIN, ENGAGEMENT_EXPIRY, IDNST, INS_NIA, INS_NIR, LUNAR_BIRTH_DATE } from './systems.js';

/** A FHIR resource in the document: its type, the rest as R4 defines it. */
const resource = (type: string, description: string, properties: Record<string, object> = {}): object => ({
  description,
  type: 'object',
  required: ['resourceType'],
  additionalProperties: true,
  properties: { resourceType: { type: 'string', enum: [type] }, ...properties },
});

/**
 * The FHIR routes as the OpenAPI document describes them. For the document only: the FHIR
 * scope validates its resources against the R4 schema and renders its own responses, so
 * none of this may become a Fastify schema of the route.
 */
export const fhirOperations: Readonly<Record<string, OperationDocs>> = {
  'GET /fhir/r4/metadata': {
    schema: {
      summary: 'Déclaration de capacités FHIR (CapabilityStatement)',
      description: 'Ce que sert la plateforme en FHIR R4 (4.0.0) : ressources, interactions, sécurité (jetons liés par DPoP, sessions).',
      tags: [tags.fhir],
      produces: ['application/fhir+json'],
      response: { 200: resource('CapabilityStatement', 'La déclaration de capacités', { fhirVersion: { type: 'string' } }) },
    },
    codes: [],
  },
  'POST /fhir/r4/CoverageEligibilityRequest': {
    schema: {
      summary: 'Identification des droits en FHIR (CoverageEligibilityRequest)',
      description:
        'L’identification des droits de `POST /api/v1/rights/check`, mêmes règles et même engagement, pour une ressource CoverageEligibilityRequest R4 ' +
        '(`application/fhir+json` ou `application/json`), purpose `validation` ou `benefits`, qui contient (`contained`) le Patient et la Coverage :\n' +
        `- NIR : \`Patient.identifier\`, système \`${INS_NIR}\` (INS-NIR) ou \`${INS_NIA}\` (INS-NIA) ;\n` +
        `- date de naissance : \`Patient.birthDate\`, ou pour une date lunaire l’extension \`${LUNAR_BIRTH_DATE}\` de \`Patient._birthDate\` ;\n` +
        `- rang de naissance : extension \`${BIRTH_RANK}\` du Patient (1 par défaut) ;\n` +
        `- organisme : \`Coverage.payor.identifier\`, système \`${AMC_NUMBER}\` ; adhérent : \`Coverage.subscriberId\` ;\n` +
        `- date des soins : \`servicedDate\` (aujourd’hui par défaut) ; domaine de soins (un au plus) : \`item.category\`, système \`${CARE_DOMAIN}\` ;\n` +
        `- structure (sessions de personnes seulement) : \`facility\` ou \`provider\`, identifiant \`${IDNST}\` (1 + FINESS ou 3 + SIRET).\n\n` +
        'Réponse : une CoverageEligibilityResponse ; couvert, elle porte les domaines et leurs garanties, et l’engagement dans `preAuthRef` ' +
        `(expiration : extension \`${ENGAGEMENT_EXPIRY}\`) ; non couvert, rien d’autre, quelle qu’en soit la raison.`,
      tags: [tags.fhir],
      consumes: ['application/fhir+json', 'application/json'],
      produces: ['application/fhir+json'],
      body: resource('CoverageEligibilityRequest', 'Demande d’identification des droits, Patient et Coverage contenus'),
      response: {
        200: resource('CoverageEligibilityResponse', 'Couvert (domaines, garanties, engagement dans preAuthRef) ou non couvert', {
          disposition: { type: 'string', enum: ['Couvert', 'Non couvert'] },
          preAuthRef: { type: 'string', description: 'Numéro d’engagement (couvert seulement)' },
        }),
      },
    },
    codes: [
      'FHIR_RESOURCE_INVALID', 'FIELD_MISSING', 'FIELD_INVALID',
      'IDENTIFIER_EMPTY', 'IDENTIFIER_LENGTH', 'IDENTIFIER_CHARACTERS', 'IDENTIFIER_KEY',
      'NIR_SEX', 'NIR_MONTH', 'NIR_DEPARTMENT', 'NIR_COMMUNE', 'NIR_ORDER',
      'DATE_INVALID', 'CARE_DOMAIN_UNKNOWN', 'CARE_DOMAIN_FORBIDDEN', 'AMC_UNKNOWN', 'SITE_UNKNOWN',
    ],
  },
};
