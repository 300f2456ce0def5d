import type { Convention, Insurer, InsurerKind } from './insurers.js';
import type { Product } from './products.js';

/** The catalogue file of one insurer (`rempart.catalogue/1`, docs/formats.md). */
export interface CatalogueDocument {
  readonly format: 'rempart.catalogue/1';
  readonly organisme: { readonly numeroAmc: string; readonly nom: string; readonly type: InsurerKind };
  readonly conventions: readonly Convention[];
  readonly produits: readonly Product[];
}

export function catalogueOf(insurer: Insurer): CatalogueDocument {
  return {
    format: 'rempart.catalogue/1',
    organisme: { numeroAmc: insurer.amcNumber, nom: insurer.name, type: insurer.kind },
    conventions: insurer.conventions,
    produits: insurer.offers.map((offer) => offer.product),
  };
}
