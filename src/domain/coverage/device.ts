/** Complexity of a corrective lens as the LPP classes it; it sets the optical class B cap. */
export type LensComplexity = 'simple' | 'complex' | 'very_complex';

/** What an optical or hearing line sells: the contrat responsable caps depend on it. */
export type Device =
  | { readonly kind: 'frame' }
  | { readonly kind: 'lens'; readonly complexity: LensComplexity }
  | { readonly kind: 'hearing_aid' }
  /** Anything else of the domain: contact lenses, batteries, repairs… no equipment cap. */
  | { readonly kind: 'other' };
