import { isCareDomain } from '../domain/coverage/care-domain.js';
import type { Device, InvoiceLine } from '../domain/coverage/calculate.js';
import { RempartError } from '../domain/errors/codes.js';
import { cents } from '../domain/money.js';

/** An invoice line as the API takes it: amounts in cents, AMO rate in percent. */
export interface LineBody {
  acte: string;
  domaine: string;
  quantite: number;
  prix: number;
  base: number;
  tauxAmo: number;
  participationForfaitaire?: number;
  franchise?: number;
  optam?: boolean;
  centPourCentSante?: boolean;
  prixLimite?: number;
  dispositif?: DeviceWord;
  cote?: 'D' | 'G';
}

/** What an optical or hearing line sells, in the API's words. */
const devices = {
  monture: { kind: 'frame' },
  verre_simple: { kind: 'lens', complexity: 'simple' },
  verre_complexe: { kind: 'lens', complexity: 'complex' },
  verre_tres_complexe: { kind: 'lens', complexity: 'very_complex' },
  aide_auditive: { kind: 'hearing_aid' },
  autre: { kind: 'other' },
} as const satisfies Record<string, Device>;

type DeviceWord = keyof typeof devices;

export interface CalculateBody {
  engagement: string;
  lignes: LineBody[];
}

const amount = (description: string): object => ({ type: 'integer', minimum: 0, maximum: 100_000_000, description: `${description}, en centimes` });

export const calculateBodySchema = {
  type: 'object',
  required: ['engagement', 'lignes'],
  additionalProperties: false,
  properties: {
    engagement: { type: 'string', maxLength: 40, description: 'Numéro d’engagement donné par l’identification des droits' },
    lignes: {
      type: 'array',
      minItems: 1,
      maxItems: 200,
      items: {
        type: 'object',
        required: ['acte', 'domaine', 'quantite', 'prix', 'base', 'tauxAmo'],
        additionalProperties: false,
        properties: {
          acte: { type: 'string', minLength: 1, maxLength: 20, description: 'Code de l’acte ou de la prestation (« FJ » : forfait journalier)' },
          domaine: { type: 'string', maxLength: 4, description: 'Domaine de soins (PHAR, MED…)' },
          quantite: { type: 'integer', minimum: 1, maximum: 9999 },
          prix: amount('Prix unitaire facturé (frais réels)'),
          base: amount('Base de remboursement unitaire'),
          tauxAmo: { type: 'integer', minimum: 0, maximum: 100, description: 'Taux de l’assurance maladie obligatoire, en pourcentage' },
          participationForfaitaire: amount('Participation forfaitaire de la ligne'),
          franchise: amount('Franchise de la ligne'),
          optam: {
            type: 'boolean',
            description: 'Médecin adhérent OPTAM ou OPTAM-CO (MED, MEDE, RADL, HOSP) ; absent : non adhérent, dépassement plafonné (art. R871-2 CSS) ; obligatoire sur un dépassement en HOSP',
          },
          centPourCentSante: { type: 'boolean', description: 'Ligne d’un panier 100 % Santé' },
          prixLimite: amount('Prix limite de vente unitaire (100 % Santé, optique classe B)'),
          dispositif: {
            type: 'string',
            enum: Object.keys(devices),
            description: 'Ce que vend une ligne d’optique ou d’audioprothèse, obligatoire hors 100 % Santé : il fixe les plafonds du contrat responsable (monture, équipement, aide auditive)',
          },
          cote: {
            type: 'string',
            enum: ['D', 'G'],
            description: 'Œil ou oreille (D droit, G gauche) d’un verre ou d’une aide auditive : plafonds par œil ou par oreille, renouvellement d’une aide auditive oreille par oreille',
          },
        },
      },
    },
  },
} as const;

/** The engine's lines from the request's: shapes were checked by the schema, domains here. */
export function readLines(lines: readonly LineBody[]): InvoiceLine[] {
  return lines.map((line, index) => {
    if (!isCareDomain(line.domaine)) throw new RempartError('CARE_DOMAIN_UNKNOWN', `lignes/${index}/domaine : ${line.domaine}`);
    return {
      actCode: line.acte,
      domain: line.domaine,
      quantity: line.quantite,
      unitPriceCents: cents(line.prix),
      unitBaseCents: cents(line.base),
      amoRateBp: line.tauxAmo * 100,
      flatFeeCents: cents(line.participationForfaitaire ?? 0),
      deductibleCents: cents(line.franchise ?? 0),
      ...(line.optam === undefined ? {} : { optam: line.optam }),
      ...(line.centPourCentSante === undefined ? {} : { hundredPercentSante: line.centPourCentSante }),
      ...(line.prixLimite === undefined ? {} : { priceLimitCents: cents(line.prixLimite) }),
      ...(line.dispositif === undefined ? {} : { device: devices[line.dispositif] }),
      ...(line.cote === undefined ? {} : { side: line.cote === 'D' ? 'right' : 'left' }),
    };
  });
}
