/**
 * What the notification documents are generated from: an incident, its frozen snapshot
 * and one insurer's share of it, as the lead fills them from the database. Everything
 * here is already decided; the documents only put it into words.
 */
export interface NotificationFacts {
  incident: {
    id: number;
    title: string;
    detectedAt: Date;
    notifyBy: Date;
    windowFrom: Date;
    windowTo: Date;
    /** What happened, one or two sentences in French written by the security officer, e.g. "Les identifiants d'un compte de professionnel de santé ont été volés puis utilisés pour consulter des droits." */
    nature: string;
    /** Measures taken, French sentences. */
    measures: string[];
  };
  /** The processor (Rempart's deployer) and its security/DPO contact (e-mail, phone). */
  operator: { name: string; contact: string };
  insurer: { amcNumber: string; name: string; dpoContact: string };
  snapshot: { id: number; computedAt: Date; treeSize: number; rootHash: string /* hex */ };
  exposure: {
    beneficiaries: number;
    records: number;
    firstAt: Date;
    lastAt: Date;
    /** Categories as stored: "rights_check:MED", "coverage:PHAR", "engagement:OPTI", "rights_check" (no domain)… with the number of beneficiaries concerned. */
    categories: { category: string; beneficiaries: number }[];
  };
}

/** One beneficiary's line of the members file: what the individual letter is made of. */
export interface MemberFacts {
  memberNumber: string;
  /** '01'… as on the insurer's file. */
  rank: string;
  categories: string[];
  firstAt: Date;
  lastAt: Date;
}
