/**
 * The identity Pro Santé Connect gives a professional (its userinfo), reduced to what
 * Rempart reads: `SubjectNameID` ("8" + RPPS) and the activities with their sites.
 * The local test provider issues the same shape for generated professionals.
 */
export interface PscActivity {
  numeroFinessSite?: string;
  numeroSiretSite?: string;
  raisonSocialeSite?: string;
}

export interface PscUserInfo {
  SubjectNameID: string;
  SubjectRole?: string[];
  SubjectRefPro?: { exercices?: { codeProfession?: string; activities?: PscActivity[] }[] };
  given_name?: string;
  family_name?: string;
}

/** The RPPS inside `SubjectNameID`, or undefined for an identity that is not an RPPS one. */
export function rppsOf(userInfo: Partial<PscUserInfo>): string | undefined {
  const id = userInfo.SubjectNameID;
  return typeof id === 'string' && /^8\d{11}$/.test(id) ? id.slice(1) : undefined;
}
