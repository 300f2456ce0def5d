import { LOT_SIZE } from './invoice-bundle.js';
import {
  ACT_CODE, AMC_CLAIMED, AMO_AMOUNT, DEDUCTIBLE, FLAT_FEE, INVOICE_NUMBER, INVOICE_REASON, INVOICE_STATUS, LOT, LOT_NUMBER, OPTAM, AGREEMENT_STATUS, AMC_NUMBER, AMO_BASE, AMO_RATE, BIRTH_RANK, BODY_SIDE, CARE_DOMAIN, COVERAGE_RULE, DEVICE, ENGAGEMENT, ENGAGEMENT_EXPIRY, ERROR_CODE, FHIR_BASE, FHIR_VERSION,
  HL7_FINANCIAL_TASK, HL7_SECURITY_SERVICE, IDNST, INS_NIA, INS_NIR, INVOICING_TOLERANCE, LUNAR_BIRTH_DATE, PRICE_LIMIT, PROGRAM, SUPPORTING_INFO,
} from './systems.js';

/** The day this statement last changed: it describes the code, not the moment it is asked. */
const STATEMENT_DATE = '2026-12-07';

const requestDoc = [
  'POST d’une CoverageEligibilityRequest (identification des droits, IDB) ; réponse 200 synchrone : une CoverageEligibilityResponse. Rien n’est conservé sous cette ressource (pas de Location, pas de lecture).',
  `Lus : Patient contenu (patient = #id) avec identifier INS-NIR (${INS_NIR}) ou INS-NIA (${INS_NIA}), birthDate ou, pour une date lunaire, l’extension ${LUNAR_BIRTH_DATE} (valueString) sur _birthDate, rang de naissance en extension ${BIRTH_RANK} (1 par défaut) ;`,
  `Coverage contenue (insurance[0].coverage = #id) avec payor.identifier ${AMC_NUMBER} (numéro AMC) et subscriberId (numéro d’adhérent) ; servicedDate (aujourd’hui par défaut) ; item.category (${CARE_DOMAIN}, un seul domaine) ;`,
  `pour une personne connectée, la structure : facility ou provider.identifier IDNST (${IDNST}, 1 + FINESS ou 3 + SIRET). purpose : validation et/ou benefits.`,
  `Réponse : insurance[0].inforce, un item par domaine couvert (category, description = garantie), preAuthRef = numéro d’engagement, extension ${ENGAGEMENT_EXPIRY} = son expiration.`,
  '« Non couvert » est une réponse unique, quelle qu’en soit la raison.',
].join(' ');

const claimDoc = [
  'POST d’un Claim use = preauthorization (accord préalable, PEC) ; réponse 200 synchrone : une ClaimResponse, l’accord étant consultable ensuite sous ClaimResponse/{preAuthRef}.',
  `Lus : insurance (focal) preAuthRef = numéro d’engagement de l’identification des droits ; par item, dans l’ordre (sequence 1, 2, 3…) : productOrService (${ACT_CODE}), category (${CARE_DOMAIN}, un seul domaine : OPTI, AUDI ou DENT),`,
  `quantity (1 par défaut), unitPrice (EUR), extensions ${AMO_BASE} (valueMoney) et ${AMO_RATE} (valueUnsignedInt, %), ${DEVICE} (valueCode : monture, verre_simple…), ${PRICE_LIMIT} (valueMoney),`,
  `bodySite (${BODY_SIDE} : D ou G), programCode (${PROGRAM} : 100-pourcent-sante), informationSequence vers un supportingInfo code date-prescription (${SUPPORTING_INFO}) et timingDate ;`,
  'date des soins : item.servicedDate (la même pour tous) ou billablePeriod.start ; structure (personnes) : facility ou provider, IDNST. Patient, type et priority ne sont pas lus : l’engagement désigne le bénéficiaire.',
  `Réponse : outcome complete (la décision est dans les montants), disposition, extension ${AGREEMENT_STATUS} (accorde, partiel, refuse, annule, expire), preAuthRef = numéro de l’accord, preAuthPeriod (date des soins, fin de validité),`,
  `item.adjudication submitted (prix), eligible (prix moins AMO), benefit (accordé, reason ${COVERAGE_RULE}), total, extensions ${INVOICING_TOLERANCE} (valueMoney) et ${ENGAGEMENT}.`,
].join(' ');

const invoiceDoc = [
  `POST d’un Claim use = claim (facture, DRE) ; réponse 200 synchrone : une ClaimResponse use = claim, consultable ensuite sous ClaimResponse/{id} (numéro F…). Seul, le Claim forme un lot à lui seul (son numéro de facture, ou l’extension ${LOT}) ;`,
  `Lus, en plus des items du devis : identifier (${INVOICE_NUMBER}) = votre numéro de facture ; insurance (focal) preAuthRef = un numéro d’engagement (E…) ou d’accord préalable (P…) ; par item, extensions ${AMC_CLAIMED} (part complémentaire demandée, obligatoire),`,
  `${AMO_AMOUNT}, ${FLAT_FEE}, ${DEDUCTIBLE} (valueMoney) et ${OPTAM} (valueBoolean) ; net, s’il est donné, = quantité × prix unitaire.`,
  `Réponse : outcome complete (payée), partial (payée en partie) ou error (rejetée, avec error.code), disposition, extension ${INVOICE_STATUS}, item.adjudication submitted (demandé) et benefit (payé, reason ${INVOICE_REASON}), total, payment.`,
  'Renvoyer le même Claim rend la même ClaimResponse ; le même numéro avec un autre contenu : 409 INVOICE_KEY_REUSED.',
].join(' ');

const batchDoc = `POST sur la base d’un Bundle type batch (1 Mio au plus) : un lot de ${LOT_SIZE} Claim use = claim au plus (entry.request POST Claim), numéroté par Bundle.identifier (${LOT_NUMBER}), d’une seule structure ; réponse 200 : un Bundle batch-response, une ClaimResponse par entrée dans l’ordre (ou, clé déjà employée, response.status 409 et son OperationOutcome). Un lot mal formé est refusé entier (OperationOutcome), rien n’est décidé.`;

const taskDoc = `POST d’une Task code cancel (${HL7_FINANCIAL_TASK}), status requested, focus ClaimResponse/{preAuthRef} : annule l’accord et libère ses réservations ; réponse 200, la Task completed. Structure (personnes) : requester, IDNST.`;

/** GET /fhir/r4/metadata: exactly what the FHIR edge serves, no more. */
export function capabilityStatement(publicOrigin: string): object {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: STATEMENT_DATE,
    publisher: 'Rempart',
    kind: 'instance',
    software: { name: 'Rempart' },
    implementation: { description: 'Rempart : identification des droits, accords préalables et factures des organismes complémentaires en FHIR R4', url: `${publicOrigin}${FHIR_BASE}` },
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
        resource: [
          { type: 'CoverageEligibilityRequest', documentation: requestDoc, interaction: [{ code: 'create', documentation: 'Voir la ressource : réponse 200 avec une CoverageEligibilityResponse, sans création.' }] },
          { type: 'Claim', documentation: `${claimDoc} ${invoiceDoc}`, interaction: [{ code: 'create', documentation: 'Voir la ressource : réponse 200 avec une ClaimResponse ; le Claim lui-même n’est pas conservé.' }] },
          {
            type: 'ClaimResponse',
            documentation: 'Un accord préalable (P…) avec son statut du jour (status cancelled une fois annulé), ou la décision d’une facture (F…), pour la structure qui l’a envoyé. Personnes : ?structure= (FINESS ou SIRET).',
            interaction: [{ code: 'read', documentation: 'GET ClaimResponse/{preAuthRef} ou ClaimResponse/{id}' }],
          },
          { type: 'Task', documentation: taskDoc, interaction: [{ code: 'create', documentation: 'Annulation d’un accord préalable ; la Task n’est pas conservée.' }] },
        ],
        interaction: [{ code: 'batch', documentation: batchDoc }],
      },
    ],
  };
}
