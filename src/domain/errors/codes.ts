/**
 * The one catalogue of error codes. The API, the CLI and the reject reports all speak
 * these codes; a code never changes meaning once published. Messages are French because
 * they reach insurers' staff and professionals.
 */
export const ErrorCodes = {
  // Identifiers (src/domain/identifiers)
  IDENTIFIER_EMPTY: { status: 400, message: 'Identifiant vide' },
  IDENTIFIER_LENGTH: { status: 400, message: "Longueur d'identifiant incorrecte" },
  IDENTIFIER_CHARACTERS: { status: 400, message: "Caractères non autorisés dans l'identifiant" },
  IDENTIFIER_KEY: { status: 400, message: 'Clé de contrôle incorrecte' },
  NIR_SEX: { status: 400, message: 'NIR : code sexe invalide' },
  NIR_MONTH: { status: 400, message: 'NIR : mois de naissance invalide' },
  NIR_DEPARTMENT: { status: 400, message: 'NIR : département de naissance invalide' },
  NIR_COMMUNE: { status: 400, message: 'NIR : commune ou pays de naissance invalide' },
  NIR_ORDER: { status: 400, message: "NIR : numéro d'ordre invalide" },
  FINESS_DEPARTMENT: { status: 400, message: 'FINESS : département invalide' },
  IBAN_COUNTRY: { status: 400, message: 'IBAN : pays inconnu' },

  // Files (src/registry/ingest)
  FILE_ENCODING: { status: 422, message: "Fichier refusé : l'encodage n'est pas de l'UTF-8 valide" },
  FILE_HEADER: { status: 422, message: "Fichier refusé : en-tête absent ou incorrect" },
  FILE_TRUNCATED: { status: 422, message: 'Fichier refusé : fichier tronqué (ligne de fin absente ou incohérente)' },
  FILE_KIND: { status: 422, message: 'Fichier refusé : type de fichier non reconnu' },
  FILE_UNREADABLE: { status: 422, message: 'Fichier illisible (absent ou sans droit de lecture)' },
  FILE_MIXED_INSURERS: { status: 422, message: 'Fichier refusé : un fichier ne concerne qu’un seul organisme' },
  FILE_UNKNOWN_INSURER: { status: 422, message: 'Fichier refusé : organisme complémentaire inconnu' },
  FILE_MASS_REMOVAL: { status: 422, message: 'Fichier complet refusé : il radierait une part anormale des bénéficiaires' },
  LINE_SYNTAX: { status: 400, message: 'Ligne illisible' },
  FIELD_MISSING: { status: 400, message: 'Champ obligatoire absent' },
  FIELD_INVALID: { status: 400, message: 'Valeur de champ invalide' },
  FIELD_UNKNOWN: { status: 400, message: 'Champ inconnu' },
  DATE_INVALID: { status: 400, message: 'Date invalide (attendu AAAA-MM-JJ)' },
  PERIOD_INVALID: { status: 400, message: 'Période invalide : la fin précède le début' },
  CARE_DOMAIN_UNKNOWN: { status: 400, message: 'Domaine de soins inconnu' },
  GUARANTEE_EXPRESSION: { status: 400, message: 'Expression de garantie invalide' },
  PRODUCT_UNKNOWN: { status: 400, message: 'Produit inconnu pour cet organisme' },
  CONTRACT_UNKNOWN: { status: 400, message: "Contrat inconnu pour cet organisme" },
  BENEFICIARY_UNKNOWN: { status: 400, message: 'Bénéficiaire inconnu pour cet organisme' },
  BENEFICIARY_DUPLICATE: { status: 400, message: 'Bénéficiaire présent deux fois dans le fichier' },
  OPERATION_UNKNOWN: { status: 400, message: 'Opération inconnue (attendu A, M, C ou S)' },

  // Directory (src/registry/directory)
  ACTIVITY_DUPLICATE: { status: 400, message: 'Activité présente deux fois dans le fichier' },
  SITE_CONFLICT: { status: 400, message: 'SIRET déjà rattaché à une autre structure' },

  // Guards of full files: nobody removed silently (src/registry/ingest/removals.ts, file-order.ts)
  FILE_OUT_OF_ORDER: { status: 409, message: 'Fichier refusé : daté d’avant le dernier fichier appliqué de même type (rempart load --replay pour rejouer un état antérieur)' },
  CONTRACT_PRODUCT_CONFLICT: { status: 400, message: 'Contrat nommé avec deux produits différents dans le fichier : toutes ses lignes sont refusées' },
  REMOVALS_SUSPENDED: { status: 409, message: 'Radiations suspendues : des lignes rejetées ne laissent lire aucun identifiant (rempart load --apply-removals pour les appliquer)' },

  // Access (src/access)
  AUTH_REQUIRED: { status: 401, message: 'Authentification requise : jeton DPoP et preuve DPoP' },
  AUTH_CLIENT_INVALID: { status: 401, message: 'Client inconnu, suspendu ou assertion de client invalide' },
  AUTH_GRANT_UNSUPPORTED: { status: 400, message: 'Seul le flux client_credentials avec private_key_jwt est accepté' },
  AUTH_DPOP_INVALID: { status: 401, message: 'Preuve DPoP invalide, expirée ou déjà utilisée' },
  AUTH_TOKEN_INVALID: { status: 401, message: "Jeton d'accès invalide ou expiré" },
  AUTH_FORBIDDEN: { status: 403, message: 'Cette fonction n’est pas ouverte à ce rôle' },
  AUTH_PASSKEY_INVALID: { status: 401, message: 'Clé d’accès refusée' },
  AUTH_PROVIDER_UNAVAILABLE: { status: 503, message: 'Fournisseur d’identité injoignable, réessayez plus tard' },
  CLIENT_UNKNOWN: { status: 404, message: 'Logiciel inconnu pour vos structures' },
  AUTH_LOGIN_FAILED: { status: 401, message: 'Connexion refusée' },
  AUTH_PROFESSIONAL_INACTIVE: { status: 403, message: "Le professionnel désigné n'exerce pas dans cette structure à cette date, ou son compte est suspendu" },
  AUTH_STEP_UP_REQUIRED: { status: 401, message: 'Action sensible : confirmez votre identité (clé d’accès ou carte CPS) puis recommencez' },
  SITE_UNKNOWN: { status: 404, message: 'Structure inconnue parmi celles que vous administrez' },
  CLIENT_CONFLICT: { status: 409, message: 'Identifiant de logiciel déjà utilisé' },
  DELEGATION_UNKNOWN: { status: 404, message: 'Délégation inconnue pour vos structures' },
  DELEGATION_INVALID: { status: 400, message: 'Délégation impossible : le délégataire doit exercer dans la structure, pour une durée d’un an au plus' },
  ACCOUNT_UNKNOWN: { status: 404, message: 'Compte inconnu' },
  ACCOUNT_ALREADY_SUSPENDED: { status: 409, message: 'Ce compte est déjà suspendu' },
  SUSPENSION_UNKNOWN: { status: 404, message: 'Suspension inconnue ou déjà levée' },
  SUSPENSION_SAME_OFFICER: { status: 403, message: 'Un autre responsable de la sécurité doit lever cette suspension (quatre yeux)' },
  STAFF_CONFLICT: { status: 409, message: 'Un compte existe déjà pour cet identifiant' },
  STAFF_INVALID: { status: 400, message: 'Compte invalide : un agent d’organisme est rattaché à un organisme connu, les autres rôles à aucun' },

  // Rights and coverage (src/rights, src/claims)
  AMC_UNKNOWN: { status: 404, message: 'Organisme complémentaire inconnu de la plateforme (numéro AMC de la carte)' },
  CARE_DOMAIN_FORBIDDEN: { status: 403, message: 'Domaine de soins hors de votre activité' },
  ENGAGEMENT_UNKNOWN: { status: 404, message: 'Engagement inconnu, expiré, annulé ou donné à une autre structure' },
  CARE_DOMAIN_NOT_ENGAGED: { status: 422, message: 'Ligne d’un domaine de soins que l’engagement ne couvre pas' },

  // Access log (src/audit)
  AUDIT_KEY_INVALID: { status: 500, message: 'Clé de signature du journal d’accès absente ou invalide' },
  AUDIT_LOG_INCONSISTENT: { status: 500, message: 'Journal d’accès incohérent, lancez rempart audit verify' },
  AUDIT_XID_REWOUND: { status: 500, message: 'Journal d’accès : le compteur de transactions est revenu en arrière (base restaurée ailleurs ?), séquencement suspendu' },
  AUDIT_LEAF_GAP: { status: 500, message: 'Journal d’accès : une feuille manque dans la séquence' },
  AUDIT_RECORD_MISSING: { status: 500, message: 'Journal d’accès : enregistrement supprimé' },
  AUDIT_RECORD_MODIFIED: { status: 500, message: 'Journal d’accès : enregistrement modifié' },
  AUDIT_LEAF_ORDER: { status: 500, message: 'Journal d’accès : feuilles déplacées ou enregistrement en double' },
  AUDIT_ROOT_MISMATCH: { status: 500, message: 'Journal d’accès : la racine recalculée diffère du point de contrôle' },
  AUDIT_SIGNATURE_INVALID: { status: 500, message: 'Journal d’accès : signature de point de contrôle invalide' },
  AUDIT_KEY_UNKNOWN: { status: 500, message: 'Journal d’accès : point de contrôle signé par une clé qui n’est pas de confiance' },
  AUDIT_HEAD_MISMATCH: { status: 500, message: 'Journal d’accès : différent d’une tête d’arbre conservée hors de la base' },
  AUDIT_TAIL_TRUNCATED: { status: 500, message: 'Journal d’accès : fin du journal tronquée' },
  AUDIT_UNSEQUENCED: { status: 500, message: 'Journal d’accès : enregistrement ancien absent de l’arbre' },
  AUDIT_RECORD_NOT_IN_TREE: { status: 404, message: 'Accès inconnu, ou pas encore dans un point de contrôle signé (quelques secondes)' },
  AUDIT_CHECKPOINT_UNKNOWN: { status: 404, message: 'Aucun point de contrôle signé de cette taille' },
  AUDIT_WITNESS_INVALID: { status: 422, message: 'Tête d’arbre de témoin illisible ou mal signée' },
  AUDIT_RETENTION_INVALID: { status: 400, message: 'Durée de conservation du journal d’accès invalide : un nombre entier de mois, au moins 1' },
  AUDIT_DROP_SIGNATURE_INVALID: { status: 500, message: 'Journal d’accès : trace de purge mal signée, ou signée par une clé qui n’est pas de confiance' },
  AUDIT_DROP_MISMATCH: { status: 500, message: 'Journal d’accès : les feuilles d’un mois purgé ne sont plus celles que sa trace de purge a signées' },

  // Incidents (src/incidents)
  INCIDENT_SCOPE_INVALID: { status: 422, message: 'Périmètre d’incident invalide' },
  INCIDENT_UNKNOWN: { status: 404, message: 'Incident inconnu' },
  INCIDENT_NOTHING_SIGNED: { status: 409, message: 'Aucun point de contrôle signé : le journal d’accès n’a encore rien séquencé' },
  INCIDENT_SNAPSHOT_UNKNOWN: { status: 404, message: 'Instantané d’incident inconnu' },
  MEMBER_EXPORT_UNKNOWN: { status: 404, message: 'Demande d’export des adhérents inconnue' },
  MEMBER_EXPORT_SAME_OFFICER: { status: 409, message: 'Un second responsable de la sécurité, différent du premier, doit approuver' },
  MEMBER_EXPORT_NOT_APPROVED: { status: 409, message: 'Export des adhérents non approuvé par deux responsables de la sécurité' },

  // Transparency (src/transparency)
  MEMBER_UNKNOWN: { status: 404, message: 'Bénéficiaire inconnu pour cet organisme (numéro d’adhérent, NIR, date de naissance et rang)' },
  TRANSPARENCY_LINK_INVALID: { status: 404, message: 'Lien inconnu ou déjà utilisé : demandez-en un nouveau depuis votre espace adhérent' },
  TRANSPARENCY_LINK_EXPIRED: { status: 410, message: 'Lien expiré : demandez-en un nouveau depuis votre espace adhérent' },

  // Shield (src/shield)
  SHIELD_STEP_UP_REQUIRED: { status: 401, message: 'Activité inhabituelle sur ce compte : confirmez votre identité (clé d’accès ou carte CPS) pour continuer' },
  SHIELD_ACCOUNT_CLOSED: { status: 403, message: 'Compte fermé : inutilisé depuis trop longtemps ou suspendu par la sécurité ; contactez le support' },
  SHIELD_THRESHOLDS_INVALID: { status: 400, message: 'Seuils du bouclier invalides' },
  ALERT_UNKNOWN: { status: 404, message: 'Alerte inconnue' },
  ALERT_ALREADY_ACKNOWLEDGED: { status: 409, message: 'Cette alerte est déjà acquittée' },

  // Requests (src/http)
  BODY_INVALID: { status: 400, message: 'Corps de requête illisible (JSON invalide, vide ou trop imbriqué)' },
  BODY_TOO_LARGE: { status: 413, message: 'Corps de requête trop volumineux' },
  CONTENT_TYPE_UNSUPPORTED: { status: 415, message: 'Type de contenu non pris en charge (JSON attendu)' },
  FIELD_DUPLICATE: { status: 400, message: 'Champ présent deux fois dans le même objet JSON' },
  REQUEST_INVALID: { status: 400, message: 'Requête invalide' },
  NOT_FOUND: { status: 404, message: 'Ressource inconnue' },

  // FHIR (src/fhir)
  FHIR_RESOURCE_INVALID: { status: 400, message: 'Ressource non conforme au schéma FHIR R4 ou d’un autre type que celui attendu' },

  // Deployment: one writer for the embedded store (src/db/store-lock.ts), the keys a server needs (src/cli/server-keys.ts)
  STORE_LOCKED: { status: 409, message: 'Stockage embarqué déjà ouvert par un autre processus' },
  SERVER_KEY_MISSING: { status: 500, message: 'Clé absente pour un serveur PostgreSQL (DATABASE_URL)' },
  TOKEN_KEY_INVALID: { status: 500, message: 'Clé de signature des jetons illisible : JWK ES256 privée attendue' },
  KEY_FILE_EXISTS: { status: 409, message: 'Fichier de clé déjà présent : rien n’a été écrit' },

  // Platform
  INTERNAL: { status: 500, message: 'Erreur interne' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ErrorCodes;

/** An error the platform expects and reports with a stable code (never a bare 500). */
export class RempartError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, detail?: string) {
    super(detail ? `${ErrorCodes[code].message} : ${detail}` : ErrorCodes[code].message);
    this.name = 'RempartError';
    this.code = code;
    this.status = ErrorCodes[code].status;
    this.detail = detail;
  }
}
