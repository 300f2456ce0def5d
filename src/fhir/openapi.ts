import type { OperationDocs } from '../http/api-docs.js';
import { tags } from '../http/api-docs.js';
import {
  ACT_CODE, AGREEMENT_STATUS, AMC_NUMBER, AMO_BASE, AMO_RATE, BIRTH_RANK, BODY_SIDE, CARE_DOMAIN, COVERAGE_RULE, DEVICE, ENGAGEMENT_EXPIRY, HL7_FINANCIAL_TASK, IDNST, INS_NIA, INS_NIR,
  INVOICING_TOLERANCE, LUNAR_BIRTH_DATE, PRICE_LIMIT, PROGRAM, SUPPORTING_INFO, AMC_CLAIMED, AMO_AMOUNT, FLAT_FEE, DEDUCTIBLE, OPTAM, INVOICE_NUMBER, INVOICE_REASON,
  INVOICE_STATUS, LOT, LOT_NUMBER,
} from './systems.js';
import { LOT_SIZE } from './invoice-bundle.js';

/** What an invoice Claim adds to the quote's items, and what its ClaimResponse says. */
const invoiceClaimDoc =
  '\n\n**Facture** (`use` = `claim`) : une facture de `POST /api/v1/invoices/lots`, même décision, mêmes consommations de plafonds, en lot à elle seule ' +
  `(lot = son numéro de facture, ou l’extension \`${LOT}\`) :\n` +
  `- numéro de facture : \`identifier\` (\`${INVOICE_NUMBER}\`) ; engagement (E…) ou accord préalable (P…) : \`insurance.preAuthRef\` ;\n` +
  `- par item, en plus : part complémentaire demandée \`${AMC_CLAIMED}\` (obligatoire), part AMO \`${AMO_AMOUNT}\`, participation forfaitaire \`${FLAT_FEE}\`, franchise \`${DEDUCTIBLE}\` (valueMoney), OPTAM \`${OPTAM}\` (valueBoolean).\n\n` +
  'Réponse : une ClaimResponse `use` claim, `id` = numéro de la décision (F…), `outcome` complete (payée), partial (payée en partie) ou error (rejetée), ' +
  `par item \`adjudication\` submitted (demandé) et benefit (payé, motif en \`reason\`, \`${INVOICE_REASON}\`), \`total\`, \`payment\`, statut (extension \`${INVOICE_STATUS}\`). ` +
  'Renvoyer le même Claim rend la même réponse.';

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
  'POST /fhir/r4/Claim': {
    schema: {
      summary: 'Accord préalable ou facture en FHIR (Claim use = preauthorization ou claim)',
      description:
        'L’accord préalable de `POST /api/v1/prior-agreements`, même service, mêmes réservations sur les plafonds, pour un Claim R4 `use` = `preauthorization` ' +
        '(un autre usage que claim est refusé : FIELD_INVALID sur Claim.use) :\n' +
        '- engagement : `insurance.preAuthRef` (assurance `focal`) ;\n' +
        `- par item, numérotés 1, 2, 3… : acte \`productOrService\` (\`${ACT_CODE}\`), domaine \`category\` (\`${CARE_DOMAIN}\`), \`quantity\`, \`unitPrice\` (EUR) ;\n` +
        `- extensions d’item : base AMO \`${AMO_BASE}\`, taux AMO \`${AMO_RATE}\` (%), dispositif \`${DEVICE}\`, prix limite \`${PRICE_LIMIT}\` ;\n` +
        `- œil ou oreille : \`bodySite\` (\`${BODY_SIDE}\`, D ou G) ; 100 % Santé : \`programCode\` (\`${PROGRAM}\`, 100-pourcent-sante) ;\n` +
        `- date d’ordonnance : \`supportingInfo\` code \`date-prescription\` (\`${SUPPORTING_INFO}\`), \`timingDate\`, désigné par \`item.informationSequence\` ;\n` +
        '- date des soins : `item.servicedDate` (ou `billablePeriod.start`) ; structure (sessions de personnes) : `facility` ou `provider`, IDNST.\n\n' +
        'Réponse : une ClaimResponse, `outcome` complete, `preAuthRef` = numéro de l’accord, `preAuthPeriod` (date des soins, fin de validité), ' +
        `par item \`adjudication\` submitted / eligible / benefit (règle en \`reason\`, \`${COVERAGE_RULE}\`), \`total\`, statut (extension \`${AGREEMENT_STATUS}\`), ` +
        `tolérance de facturation (extension \`${INVOICING_TOLERANCE}\`). Montants en euros.` + invoiceClaimDoc,
      tags: [tags.fhir],
      consumes: ['application/fhir+json', 'application/json'],
      produces: ['application/fhir+json'],
      body: resource('Claim', 'Devis à accorder (use = preauthorization) ou facture (use = claim)'),
      response: {
        200: resource('ClaimResponse', 'L’accord (accordé, partiel ou refusé) ou la décision de la facture (payée, payée en partie, rejetée)', {
          use: { type: 'string', enum: ['preauthorization', 'claim'] },
          preAuthRef: { type: 'string', description: 'Numéro de l’accord préalable' },
        }),
      },
    },
    codes: [
      'FHIR_RESOURCE_INVALID', 'FIELD_MISSING', 'FIELD_INVALID', 'CARE_DOMAIN_UNKNOWN', 'ENGAGEMENT_UNKNOWN', 'CARE_DOMAIN_NOT_ENGAGED', 'PRIOR_AGREEMENT_DOMAIN',
      'PRIOR_AGREEMENT_CARE_DATE', 'PRESCRIPTION_AFTER_CARE', 'OPTICAL_EQUIPMENT_INVALID', 'INVOICE_REFERENCE', 'INVOICE_CARE_DATE', 'INVOICE_KEY_REUSED', 'SITE_UNKNOWN',
    ],
  },
  'POST /fhir/r4': {
    schema: {
      summary: 'Lot de factures en FHIR (Bundle batch de Claim use = claim)',
      description:
        `Le lot de \`POST /api/v1/invoices/lots\` : un Bundle \`type\` batch (1 Mio au plus) de ${LOT_SIZE} Claim \`use\` = claim au plus, chaque entrée \`request\` POST Claim, ` +
        `numéroté par \`Bundle.identifier\` (\`${LOT_NUMBER}\`), d’une seule structure. Refusé entier (rien n’est décidé) s’il est mal formé, mêle des usages, ou dépasse la taille d’un lot. ` +
        'Réponse : un Bundle batch-response, une entrée par Claim dans l’ordre : la ClaimResponse (`response.location` = ClaimResponse/{id}), ou, numéro déjà employé avec un autre contenu, `response.status` 409 et son OperationOutcome.',
      tags: [tags.fhir],
      consumes: ['application/fhir+json', 'application/json'],
      produces: ['application/fhir+json'],
      body: resource('Bundle', 'Lot de factures : Bundle batch de Claim use = claim'),
      response: { 200: resource('Bundle', 'Les décisions du lot', { type: { type: 'string', enum: ['batch-response'] } }) },
    },
    codes: ['FHIR_RESOURCE_INVALID', 'FIELD_MISSING', 'FIELD_INVALID', 'CARE_DOMAIN_UNKNOWN', 'INVOICE_LOT_DUPLICATE', 'INVOICE_REFERENCE', 'INVOICE_CARE_DATE', 'SITE_UNKNOWN'],
  },
  'GET /fhir/r4/ClaimResponse/:id': {
    schema: {
      summary: 'Consultation d’un accord préalable ou d’une facture en FHIR (ClaimResponse)',
      description:
        'L’accord de `GET /api/v1/prior-agreements/:number` (P…) en ClaimResponse, avec son statut du jour (`status` cancelled une fois annulé ; extension statut : annule, expire), ' +
        'ou la décision de `GET /api/v1/invoices/:number` (F…), pour la structure qui l’a envoyé. Sessions de personnes : `?structure=` (FINESS ou SIRET).',
      tags: [tags.fhir],
      produces: ['application/fhir+json'],
      response: { 200: resource('ClaimResponse', 'L’accord préalable ou la décision de la facture') },
    },
    codes: ['FIELD_INVALID', 'PRIOR_AGREEMENT_UNKNOWN', 'INVOICE_UNKNOWN', 'SITE_UNKNOWN'],
  },
  'POST /fhir/r4/Task': {
    schema: {
      summary: 'Annulation d’un accord préalable en FHIR (Task cancel)',
      description:
        `L’annulation de \`POST /api/v1/prior-agreements/:number/cancel\` : une Task \`code\` cancel (\`${HL7_FINANCIAL_TASK}\`), \`status\` requested, \`intent\` order, ` +
        '`focus` = `ClaimResponse/{preAuthRef}` ; structure (sessions de personnes) : `requester`, IDNST. Réponse : la Task, `status` completed. ' +
        'Un accord annulé ou expiré ne s’annule pas.',
      tags: [tags.fhir],
      consumes: ['application/fhir+json', 'application/json'],
      produces: ['application/fhir+json'],
      body: resource('Task', 'Demande d’annulation'),
      response: { 200: resource('Task', 'L’annulation faite', { status: { type: 'string', enum: ['completed'] } }) },
    },
    codes: ['FHIR_RESOURCE_INVALID', 'FIELD_MISSING', 'FIELD_INVALID', 'PRIOR_AGREEMENT_UNKNOWN', 'PRIOR_AGREEMENT_CANCELLED', 'PRIOR_AGREEMENT_EXPIRED', 'PRIOR_AGREEMENT_INVOICED', 'SITE_UNKNOWN'],
  },
};
