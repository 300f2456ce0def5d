/**
 * The reason codes of invoice decisions (DRE), one catalogue: what a line or an invoice
 * was reduced or rejected for, in the trade's categories (MONEY.md, "rejection
 * categories to use until the Inter-AMC list is available"). A code never changes meaning
 * once published; practice software keys its reconciliation on it. Labels are French:
 * they reach the professional. Some codes are reserved for the flows still to come
 * (identification by card, rights): listed so that the catalogue is published whole once, marked `emitted: false` until a decision gives them.
 * FAC_CANCELLED and FAC_REPLACED are not a decision's: they name a cancellation in the
 * returns (GET /api/v1/invoices/returns) and in the consultation of a cancelled invoice.
 */
export const reasonCategories = {
  identification: 'Identification du bénéficiaire',
  rights: 'Droits',
  guarantee: 'Garantie',
  engagement: 'Engagement',
  prior_agreement: 'Accord préalable',
  professional: 'Professionnel de santé',
  invoice: 'Facture',
  technical: 'Technique',
} as const;

export type ReasonCategory = keyof typeof reasonCategories;

interface Reason {
  readonly category: ReasonCategory;
  readonly label: string;
  /** False: reserved for a flow not built yet (issue 17); no decision gives it today. */
  readonly emitted: boolean;
}

const reason = (category: ReasonCategory, label: string, emitted = true): Reason => ({ category, label, emitted });

export const invoiceReasons = {
  IDT_BENEFICIARY: reason('identification', 'Bénéficiaire non identifié : les données de la carte ne correspondent pas à l’engagement', false),
  DRT_CLOSED: reason('rights', 'Droits fermés à la date des soins', false),
  GAR_NOT_COVERED: reason('guarantee', 'Acte non couvert par le contrat à la date des soins'),
  GAR_RULES: reason('guarantee', 'Montant ramené à la garantie du contrat et aux règles du contrat responsable'),
  GAR_CEILING: reason('guarantee', 'Plafond de la garantie atteint sur sa période'),
  GAR_RENEWAL: reason('guarantee', 'Équipement renouvelé avant la fin de sa période : seul le ticket modérateur d’un contrat responsable est dû'),
  ENG_UNKNOWN: reason('engagement', 'Engagement inconnu pour votre structure'),
  ENG_EXPIRED: reason('engagement', 'Engagement expiré : la facture arrive après sa fin de validité'),
  ENG_CANCELLED: reason('engagement', 'Engagement annulé'),
  ENG_CONSUMED: reason('engagement', 'Engagement déjà utilisé par une autre facture'),
  ENG_CARE_DATE: reason('engagement', 'Date des soins différente de celle de l’engagement'),
  ENG_DOMAIN: reason('engagement', 'Ligne d’un domaine de soins que l’engagement ne couvre pas'),
  PEC_UNKNOWN: reason('prior_agreement', 'Accord préalable inconnu pour votre structure'),
  PEC_EXPIRED: reason('prior_agreement', 'Accord préalable expiré à la date des soins ou de la facture'),
  PEC_CANCELLED: reason('prior_agreement', 'Accord préalable annulé'),
  PEC_REFUSED: reason('prior_agreement', 'Accord préalable refusé : rien n’a été accordé'),
  PEC_USED: reason('prior_agreement', 'Accord préalable déjà facturé'),
  PEC_DOMAIN: reason('prior_agreement', 'Ligne d’un autre domaine de soins que celui de l’accord préalable'),
  PEC_ABOVE_GRANT: reason('prior_agreement', 'Montant ramené à ce que l’accord préalable accorde (tolérance comprise)'),
  PS_NOT_ENGAGED: reason('professional', 'Engagement ou accord donné à un autre professionnel de votre structure'),
  FAC_AMO: reason('invoice', 'Part de l’assurance maladie obligatoire incohérente avec le taux et la base de la ligne'),
  FAC_NOTHING_CLAIMED: reason('invoice', 'Aucun montant demandé à l’organisme complémentaire'),
  FAC_LINES: reason('invoice', 'Lignes impossibles à calculer ensemble (équipement d’optique incomplet ou en trop, ligne incohérente)'),
  FAC_DUPLICATE: reason('invoice', 'Doublon possible d’une facture déjà reçue : même bénéficiaire, même date de soins, même acte ; examinée par l’organisme'),
  FAC_CANCELLED: reason('invoice', 'Facture annulée à la demande de la structure : ce qu’elle a payé est repris'),
  FAC_REPLACED: reason('invoice', 'Facture annulée et remplacée par une facture rectificative'),
  TEC_ERROR: reason('technical', 'Erreur technique : renvoyez le lot, les factures déjà décidées ne le seront pas deux fois', false),
} as const satisfies Record<string, Reason>;

export type ReasonCode = keyof typeof invoiceReasons;
