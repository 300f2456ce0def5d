/**
 * The one catalogue of error codes. The API, the CLI and the reject reports all speak
 * these codes; a code never changes meaning once published. Messages are French because
 * they reach insurers' staff and professionals. How the API answers each code (its HTTP
 * status) is the HTTP layer's: src/http/error-status.ts.
 */
export const ErrorCodes = {
  // Identifiers (src/domain/identifiers)
  IDENTIFIER_EMPTY: { message: 'Identifiant vide' },
  IDENTIFIER_LENGTH: { message: "Longueur d'identifiant incorrecte" },
  IDENTIFIER_CHARACTERS: { message: "Caractères non autorisés dans l'identifiant" },
  IDENTIFIER_KEY: { message: 'Clé de contrôle incorrecte' },
  NIR_SEX: { message: 'NIR : code sexe invalide' },
  NIR_MONTH: { message: 'NIR : mois de naissance invalide' },
  NIR_DEPARTMENT: { message: 'NIR : département de naissance invalide' },
  NIR_COMMUNE: { message: 'NIR : commune ou pays de naissance invalide' },
  NIR_ORDER: { message: "NIR : numéro d'ordre invalide" },
  FINESS_DEPARTMENT: { message: 'FINESS : département invalide' },
  IBAN_COUNTRY: { message: 'IBAN : pays inconnu' },

  // Files (src/registry/ingest)
  FILE_ENCODING: { message: "Fichier refusé : l'encodage n'est pas de l'UTF-8 valide" },
  FILE_HEADER: { message: "Fichier refusé : en-tête absent ou incorrect" },
  FILE_TRUNCATED: { message: 'Fichier refusé : fichier tronqué (ligne de fin absente ou incohérente)' },
  FILE_KIND: { message: 'Fichier refusé : type de fichier non reconnu' },
  FILE_UNREADABLE: { message: 'Fichier illisible (absent ou sans droit de lecture)' },
  FILE_MIXED_INSURERS: { message: 'Fichier refusé : un fichier ne concerne qu’un seul organisme' },
  FILE_UNKNOWN_INSURER: { message: 'Fichier refusé : organisme complémentaire inconnu' },
  FILE_MASS_REMOVAL: { message: 'Fichier complet refusé : il radierait une part anormale des bénéficiaires' },
  LINE_SYNTAX: { message: 'Ligne illisible' },
  FIELD_MISSING: { message: 'Champ obligatoire absent' },
  FIELD_INVALID: { message: 'Valeur de champ invalide' },
  FIELD_UNKNOWN: { message: 'Champ inconnu' },
  DATE_INVALID: { message: 'Date invalide (attendu AAAA-MM-JJ)' },
  PERIOD_INVALID: { message: 'Période invalide : la fin précède le début' },
  PERIOD_TOO_LONG: { message: 'Période trop longue : 366 jours au plus' },
  CARE_DOMAIN_UNKNOWN: { message: 'Domaine de soins inconnu' },
  GUARANTEE_EXPRESSION: { message: 'Expression de garantie invalide' },
  PRODUCT_UNKNOWN: { message: 'Produit inconnu pour cet organisme' },
  CONTRACT_UNKNOWN: { message: "Contrat inconnu pour cet organisme" },
  BENEFICIARY_UNKNOWN: { message: 'Bénéficiaire inconnu pour cet organisme' },
  BENEFICIARY_DUPLICATE: { message: 'Bénéficiaire présent deux fois dans le fichier' },
  OPERATION_UNKNOWN: { message: 'Opération inconnue (attendu A, M, C ou S)' },

  // Directory (src/registry/directory)
  ACTIVITY_DUPLICATE: { message: 'Activité présente deux fois dans le fichier' },
  SITE_CONFLICT: { message: 'SIRET déjà rattaché à une autre structure' },

  // Guards of full files: nobody removed silently (src/registry/ingest/removals.ts, file-order.ts)
  FILE_OUT_OF_ORDER: { message: 'Fichier refusé : daté d’avant le dernier fichier appliqué de même type (rempart load --replay pour rejouer un état antérieur)' },
  CONTRACT_PRODUCT_CONFLICT: { message: 'Contrat nommé avec deux produits différents dans le fichier : toutes ses lignes sont refusées' },
  REMOVALS_SUSPENDED: { message: 'Radiations suspendues : des lignes rejetées ne laissent lire aucun identifiant (rempart load --apply-removals pour les appliquer)' },

  // Access (src/access)
  AUTH_REQUIRED: { message: 'Authentification requise : jeton DPoP et preuve DPoP' },
  AUTH_CLIENT_INVALID: { message: 'Client inconnu, suspendu ou assertion de client invalide' },
  AUTH_GRANT_UNSUPPORTED: { message: 'Seul le flux client_credentials avec private_key_jwt est accepté' },
  AUTH_DPOP_INVALID: { message: 'Preuve DPoP invalide, expirée ou déjà utilisée' },
  AUTH_TOKEN_INVALID: { message: "Jeton d'accès invalide ou expiré" },
  AUTH_FORBIDDEN: { message: 'Cette fonction n’est pas ouverte à ce rôle' },
  CSRF_REFUSED: { message: 'Demande refusée : elle ne vient pas d’une page ouverte de la plateforme. Rechargez la page et recommencez' },
  AUTH_PASSKEY_INVALID: { message: 'Clé d’accès refusée' },
  AUTH_PROVIDER_UNAVAILABLE: { message: 'Fournisseur d’identité injoignable, réessayez plus tard' },
  CLIENT_UNKNOWN: { message: 'Logiciel inconnu pour vos structures' },
  AUTH_LOGIN_FAILED: { message: 'Connexion refusée' },
  AUTH_PROFESSIONAL_INACTIVE: { message: "Le professionnel désigné n'exerce pas dans cette structure à cette date, ou son compte est suspendu" },
  AUTH_STEP_UP_REQUIRED: { message: 'Action sensible : confirmez votre identité (clé d’accès ou carte CPS) puis recommencez' },
  AUTH_FRESH_PROOF_REQUIRED: {
    message: 'Cette action enregistre ou retire un moyen d’authentification : confirmez votre identité depuis cet appareil sur la page /moi (clé d’accès déjà enregistrée ou Pro Santé Connect), puis recommencez dans les 5 minutes',
  },
  PASSKEY_UNKNOWN: { message: 'Clé d’accès inconnue pour votre compte' },
  SESSION_UNKNOWN: { message: 'Session inconnue ou déjà fermée pour votre compte' },
  SITE_UNKNOWN: { message: 'Structure inconnue parmi celles que vous administrez' },
  CLIENT_CONFLICT: { message: 'Identifiant de logiciel déjà utilisé' },
  DELEGATION_UNKNOWN: { message: 'Délégation inconnue pour vos structures' },
  DELEGATION_INVALID: { message: 'Délégation impossible : le délégataire doit exercer dans la structure, pour une durée d’un an au plus' },
  ACCOUNT_UNKNOWN: { message: 'Compte inconnu' },
  ACCOUNT_ALREADY_SUSPENDED: { message: 'Ce compte est déjà suspendu' },
  SUSPENSION_UNKNOWN: { message: 'Suspension inconnue ou déjà levée' },
  SUSPENSION_SAME_OFFICER: { message: 'Un autre responsable de la sécurité doit lever cette suspension (quatre yeux)' },
  STAFF_CONFLICT: { message: 'Un compte existe déjà pour cet identifiant' },
  STAFF_INVALID: { message: 'Compte invalide : un agent d’organisme est rattaché à un organisme connu, les autres rôles à aucun' },

  // Rights and coverage (src/rights, src/claims)
  AMC_UNKNOWN: { message: 'Organisme complémentaire inconnu de la plateforme (numéro AMC de la carte)' },
  CARE_DOMAIN_FORBIDDEN: { message: 'Domaine de soins hors de votre activité' },
  ENGAGEMENT_UNKNOWN: { message: 'Engagement inconnu, expiré, annulé ou donné à une autre structure' },
  CARE_DOMAIN_NOT_ENGAGED: { message: 'Ligne d’un domaine de soins que l’engagement ne couvre pas' },
  OPTICAL_EQUIPMENT_INVALID: { message: 'Un équipement d’optique par facture : une monture et deux verres au plus' },
  PRIOR_AGREEMENT_UNKNOWN: { message: 'Accord préalable inconnu, ou demandé par une autre structure' },
  PRIOR_AGREEMENT_CANCELLED: { message: 'Accord préalable déjà annulé' },
  PRIOR_AGREEMENT_EXPIRED: { message: 'Accord préalable expiré : sa date de fin de validité est passée' },
  PRIOR_AGREEMENT_DOMAIN: { message: 'Un accord préalable porte sur un seul domaine de soins : optique (OPTI), aides auditives (AUDI), dentaire (DENT) ou hospitalisation (HOSP)' },
  PRIOR_AGREEMENT_CARE_DATE: { message: 'Date de soins de l’accord préalable hors de la période possible : ni avant celle de l’engagement, ni après la fin de validité de l’accord ; pour un séjour, admission au plus 30 jours avant la demande' },
  HOSPITAL_STAY_INVALID: { message: 'Séjour hospitalier incohérent : jours prévus de 1 à 365, pas plus de forfaits journaliers ni de jours de chambre particulière que de jours prévus, chambre particulière facturée si et seulement si elle est demandée' },
  PRESCRIPTION_AFTER_CARE: { message: 'Date de prescription postérieure à la date de soins' },
  PRIOR_AGREEMENT_INVOICED: { message: 'Accord préalable déjà facturé : il ne s’annule plus' },

  // Invoices (src/invoices): the lot refused whole (ARL), or one invoice's key reused
  INVOICE_LOT_DUPLICATE: { message: 'Lot refusé : un numéro de facture y figure deux fois' },
  INVOICE_REFERENCE: { message: 'Lot refusé : chaque facture nomme un engagement ou un accord préalable, pas les deux' },
  INVOICE_CARE_DATE: { message: 'Lot refusé : date de soins dans le futur' },
  INVOICE_KEY_REUSED: { message: 'Facture refusée : ce numéro a déjà été envoyé dans ce lot avec un autre contenu' },
  INVOICE_UNKNOWN: { message: 'Facture inconnue, ou envoyée par une autre structure' },
  // Lots acknowledged at once, decided after (Prefer: respond-async, migration 037)
  INVOICE_LOT_REUSED: { message: 'Lot refusé : ce numéro de lot a déjà été reçu avec d’autres factures' },
  INVOICE_LOT_UNKNOWN: { message: 'Lot inconnu, ou envoyé par une autre structure' },
  INVOICE_LOT_ABANDONED: {
    message: 'Lot arrêté après plusieurs traitements interrompus : les factures déjà décidées le restent ; renvoyez le lot sans traitement différé pour obtenir chaque décision',
  },
  // After the decision: cancellation, correction (`remplace`), the returns feed
  INVOICE_ALREADY_CANCELLED: { message: 'Facture déjà annulée, ou remplacée par une facture rectificative' },
  INVOICE_REJECTED: { message: 'Facture rejetée : rien n’a été payé ni consommé, il n’y a rien à annuler' },
  INVOICE_REPLACED_UNKNOWN: { message: 'Facture à remplacer inconnue, ou envoyée par une autre structure' },
  INVOICE_REPLACEMENT_REFERENCE: { message: 'Facture rectificative refusée : elle nomme le même engagement ou le même accord préalable que la facture qu’elle remplace' },
  INVOICE_RETURNS_CURSOR: { message: 'Curseur des retours invalide : reprenez celui de la dernière réponse, pour le même organisme' },
  ENGAGEMENT_ALREADY_CANCELLED: { message: 'Engagement déjà annulé' },
  ENGAGEMENT_INVOICED: { message: 'Engagement déjà facturé : annulez d’abord la facture payée sous cet engagement' },
  // Near duplicates held for the insurer's review (migration 034)
  INVOICE_HELD: { message: 'Facture en attente d’examen par l’organisme (doublon possible) : rien n’est payé ni consommé, il n’y a rien à annuler' },
  INVOICE_NOT_HELD: { message: 'Facture décidée à sa réception : elle n’est pas en attente d’examen' },
  INVOICE_REVIEWED: { message: 'Facture déjà examinée : la décision rendue ne se reprend pas' },

  // Access log (src/audit)
  AUDIT_KEY_INVALID: { message: 'Clé de signature du journal d’accès absente ou invalide' },
  AUDIT_LOG_INCONSISTENT: { message: 'Journal d’accès incohérent, lancez rempart audit verify' },
  AUDIT_XID_REWOUND: { message: 'Journal d’accès : le compteur de transactions est revenu en arrière (base restaurée ailleurs ?), séquencement suspendu' },
  AUDIT_LEAF_GAP: { message: 'Journal d’accès : une feuille manque dans la séquence' },
  AUDIT_RECORD_MISSING: { message: 'Journal d’accès : enregistrement supprimé' },
  AUDIT_RECORD_MODIFIED: { message: 'Journal d’accès : enregistrement modifié' },
  AUDIT_LEAF_ORDER: { message: 'Journal d’accès : feuilles déplacées ou enregistrement en double' },
  AUDIT_ROOT_MISMATCH: { message: 'Journal d’accès : la racine recalculée diffère du point de contrôle' },
  AUDIT_SIGNATURE_INVALID: { message: 'Journal d’accès : signature de point de contrôle invalide' },
  AUDIT_KEY_UNKNOWN: { message: 'Journal d’accès : point de contrôle signé par une clé qui n’est pas de confiance' },
  AUDIT_HEAD_MISMATCH: { message: 'Journal d’accès : différent d’une tête d’arbre conservée hors de la base' },
  AUDIT_TAIL_TRUNCATED: { message: 'Journal d’accès : fin du journal tronquée' },
  AUDIT_UNSEQUENCED: { message: 'Journal d’accès : enregistrement ancien absent de l’arbre' },
  AUDIT_RECORD_NOT_IN_TREE: { message: 'Accès inconnu, ou pas encore dans un point de contrôle signé (quelques secondes)' },
  AUDIT_CHECKPOINT_UNKNOWN: { message: 'Aucun point de contrôle signé de cette taille' },
  AUDIT_WITNESS_INVALID: { message: 'Tête d’arbre de témoin illisible ou mal signée' },
  AUDIT_RETENTION_INVALID: { message: 'Durée de conservation du journal d’accès invalide : un nombre entier de mois, au moins 1' },
  AUDIT_DROP_SIGNATURE_INVALID: { message: 'Journal d’accès : trace de purge mal signée, ou signée par une clé qui n’est pas de confiance' },
  AUDIT_DROP_MISMATCH: { message: 'Journal d’accès : les feuilles d’un mois purgé ne sont plus celles que sa trace de purge a signées' },
  AUDIT_RECORD_FORGED: { message: 'Journal d’accès : enregistrement sans sceau valide de l’application (écrit directement dans la base ?)' },
  AUDIT_SEAL_KEY_MISSING: { message: 'Clé de sceau du journal d’accès non chargée : aucun accès ne s’enregistre sans elle' },

  // Incidents (src/incidents)
  INCIDENT_SCOPE_INVALID: { message: 'Périmètre d’incident invalide' },
  INCIDENT_UNKNOWN: { message: 'Incident inconnu' },
  INCIDENT_NOTHING_SIGNED: { message: 'Aucun point de contrôle signé : le journal d’accès n’a encore rien séquencé' },
  INCIDENT_SNAPSHOT_UNKNOWN: { message: 'Instantané d’incident inconnu' },
  MEMBER_EXPORT_UNKNOWN: { message: 'Demande d’export des adhérents inconnue' },
  MEMBER_EXPORT_SAME_OFFICER: { message: 'Un second responsable de la sécurité, différent du premier, doit approuver' },
  MEMBER_EXPORT_NOT_APPROVED: { message: 'Export des adhérents non approuvé par deux responsables de la sécurité' },

  // Transparency (src/transparency)
  MEMBER_UNKNOWN: { message: 'Bénéficiaire inconnu pour cet organisme (numéro d’adhérent, NIR, date de naissance et rang)' },
  TRANSPARENCY_LINK_INVALID: { message: 'Lien inconnu ou déjà utilisé : demandez-en un nouveau depuis votre espace adhérent' },
  TRANSPARENCY_LINK_EXPIRED: { message: 'Lien expiré : demandez-en un nouveau depuis votre espace adhérent' },

  // Shield (src/shield)
  SHIELD_STEP_UP_REQUIRED: { message: 'Activité inhabituelle sur ce compte : confirmez votre identité sur les pages de la plateforme (connexion par carte CPS ou clé d’accès) pour continuer' },
  SHIELD_ACCOUNT_CLOSED: { message: 'Compte fermé : inutilisé depuis trop longtemps ou suspendu par la sécurité ; contactez le support' },
  SHIELD_SLOW_DOWN: { message: 'Consultations trop rapprochées sur ce compte : patientez quelques secondes puis recommencez' },
  SHIELD_THRESHOLDS_INVALID: { message: 'Seuils du bouclier invalides' },
  ALERT_UNKNOWN: { message: 'Alerte inconnue' },
  ALERT_ALREADY_ACKNOWLEDGED: { message: 'Cette alerte est déjà acquittée' },

  // Requests (src/http)
  BODY_INVALID: { message: 'Corps de requête illisible (JSON invalide, vide ou trop imbriqué)' },
  BODY_TOO_LARGE: { message: 'Corps de requête trop volumineux' },
  CONTENT_TYPE_UNSUPPORTED: { message: 'Type de contenu non pris en charge (JSON attendu)' },
  FIELD_DUPLICATE: { message: 'Champ présent deux fois dans le même objet JSON' },
  REQUEST_INVALID: { message: 'Requête invalide' },
  NOT_FOUND: { message: 'Ressource inconnue' },

  // FHIR (src/fhir)
  FHIR_RESOURCE_INVALID: { message: 'Ressource non conforme au schéma FHIR R4 ou d’un autre type que celui attendu' },

  // Sites' bank accounts (src/payments/bank-accounts)
  BIC_INVALID: { message: 'BIC invalide' },
  BIC_COUNTRY_MISMATCH: { message: 'Le BIC n’est pas d’une banque du pays de l’IBAN' },
  BANK_HOLDER_INVALID: { message: 'Titulaire du compte invalide' },
  BANK_CHANGE_PENDING: { message: 'Un changement de compte bancaire est déjà en attente pour cette structure : annulez-le ou attendez qu’il prenne effet' },
  BANK_CHANGE_UNKNOWN: { message: 'Aucun changement de compte bancaire en attente de confirmation pour cette structure' },
  BANK_CHANGE_OWN: { message: 'Un autre administrateur de la structure, ou l’opérateur, confirme le changement : pas celui qui l’a proposé' },
  BANK_CHANGE_OPERATOR_ONLY: { message: 'Ce changement a été proposé depuis un appareil ou un réseau nouveau : seul l’opérateur peut le confirmer' },

  // Payment runs and their SEPA files (src/domain/payments, src/payments/sepa)
  PAYMENT_AMOUNT_INVALID: { message: 'Montant de paiement invalide : un nombre entier de centimes strictement positif, au plus 999 999 999,99 € par virement' },
  PAYMENT_DUPLICATE: { message: 'Paiement refusé : une facture, une récupération ou un identifiant de paiement y figure deux fois' },
  PAYMENT_DATE_INVALID: { message: 'Paiement refusé : facture décidée ou récupération enregistrée après le jour du paiement' },
  PAYMENT_ACCOUNT_CONFLICT: { message: 'Paiement refusé : un même IBAN porté avec deux BIC ou deux titulaires différents' },
  PAYMENT_ACCOUNT_MISSING: { message: 'Structure sans compte bancaire : ses factures attendent le prochain paiement' },
  PAYMENT_RECOVERIES_EXCEED: { message: 'Récupération la plus ancienne au moins égale au montant dû : aucun virement ce jour, factures et récupérations reportées' },
  PAYMENT_RUN_FUTURE: { message: 'Paiement refusé : le jour du paiement est à venir' },
  PAYMENT_RUN_CHANGED: { message: 'Paiement interrompu : des factures ont été décidées pendant le paiement ; relancez-le' },
  PAYMENT_DEBTOR_MISSING: { message: 'Compte débiteur de la plateforme absent : REMPART_DEBTOR_IBAN, REMPART_DEBTOR_BIC et REMPART_DEBTOR_NAME' },
  PAYMENT_RUN_AT_INVALID: { message: 'Heure des paiements invalide : REMPART_PAYMENT_RUN_AT attend HH:MM (UTC)' },
  PAYMENT_UNKNOWN: { message: 'Virement inconnu pour cette structure' },
  SEPA_FILE_EMPTY: { message: 'Fichier de virements refusé : aucun virement' },
  SEPA_FIELD_INVALID: { message: 'Fichier de virements refusé : identifiant, date ou libellé hors du jeu de caractères SEPA ou trop long' },
  SEPA_FILE_INVALID: { message: 'Fichier de virements non conforme au schéma ISO 20022' },
  SEPA_FILE_MISMATCH: { message: 'Fichier de virements incohérent : montants ou nombre de virements différents du calcul en centimes' },
  PAYMENT_ACCOUNT_FLAGGED: { message: 'Compte bancaire signalé : un virement y a été rejeté, ses factures attendent un nouveau compte confirmé' },
  // The bank's files (src/payments/reconciliation): refused whole, nothing changed
  CAMT_XML_INVALID: { message: 'Fichier bancaire refusé : XML illisible' },
  CAMT_FOREIGN: { message: 'Fichier bancaire refusé : ni un camt.054.001.08 ni un camt.053.001.08' },
  CAMT_SCHEMA_INVALID: { message: 'Fichier bancaire non conforme au schéma ISO 20022' },
  CAMT_AMOUNT_INVALID: { message: 'Fichier bancaire refusé : montant qui n’est pas un nombre entier de centimes en euros' },
  CAMT_ALREADY_IMPORTED: { message: 'Relevé bancaire déjà importé (même identifiant de message ou de relevé) : rien n’a été changé' },
  // Deployment: one writer for the embedded store (src/db/store-lock.ts), the keys a server needs (src/cli/server-keys.ts)
  STORE_LOCKED: { message: 'Stockage embarqué déjà ouvert par un autre processus' },
  SERVER_KEY_MISSING: { message: 'Clé absente pour un serveur PostgreSQL (DATABASE_URL)' },
  SERVER_KEY_BESIDE_DATA: { message: 'Clé du journal d’accès rangée avec les données : un serveur la lit hors de REMPART_HOME et de PGDATA (fichier à part ou KMS)' },
  TOKEN_KEY_INVALID: { message: 'Clé de signature des jetons illisible : JWK ES256 privée attendue' },
  KEY_FILE_EXISTS: { message: 'Fichier de clé déjà présent : rien n’a été écrit' },

  // Platform
  INTERNAL: { message: 'Erreur interne' },
} as const satisfies Record<string, { message: string }>;

export type ErrorCode = keyof typeof ErrorCodes;

/** What a refusal may add to its code: when asking again can succeed. */
export interface RefusalTiming {
  /** Seconds after which the same request may be accepted (the API answers it as Retry-After). */
  retryAfterSeconds?: number;
}

/** An error the platform expects and reports with a stable code (never a bare 500). */
export class RempartError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, detail?: string, timing: RefusalTiming = {}) {
    super(detail ? `${ErrorCodes[code].message} : ${detail}` : ErrorCodes[code].message);
    this.name = 'RempartError';
    this.code = code;
    this.detail = detail;
    this.retryAfterSeconds = timing.retryAfterSeconds;
  }
}
