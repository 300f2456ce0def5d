/**
 * What a guarantee pays, kept as a structure so that a new product version can raise it
 * ("+25% BR", "+50 €") without parsing text; `formatCover` writes the catalogue's wording.
 */
export type Cover =
  | { readonly kind: 'br'; readonly rate: number; readonly flat: number }
  | { readonly kind: 'tm' }
  | { readonly kind: 'fr' }
  | { readonly kind: 'flat'; readonly flat: number }
  | { readonly kind: 'pmss'; readonly rate: number };

export const TM: Cover = { kind: 'tm' };
export const FR: Cover = { kind: 'fr' };

export function br(rate: number, flat = 0): Cover {
  return { kind: 'br', rate, flat };
}

export function flat(euros: number): Cover {
  return { kind: 'flat', flat: euros };
}

export function pmss(rate: number): Cover {
  return { kind: 'pmss', rate };
}

export function formatCover(cover: Cover): string {
  switch (cover.kind) {
    case 'br':
      return cover.flat > 0 ? `${cover.rate}% BR + ${cover.flat} €` : `${cover.rate}% BR`;
    case 'tm':
      return 'TM';
    case 'fr':
      return 'FR';
    case 'flat':
      return `${cover.flat} €`;
    case 'pmss':
      return `${cover.rate}% PMSS`;
  }
}

/** The next year's better cover, or undefined when it cannot grow (TM and FR are already whole). */
export function improveCover(cover: Cover): Cover | undefined {
  switch (cover.kind) {
    case 'br':
      return cover.flat > 0 ? br(cover.rate, cover.flat + 50) : br(cover.rate + 25);
    case 'flat':
      return flat(cover.flat + 50);
    case 'pmss':
      return pmss(cover.rate + 1);
    case 'tm':
    case 'fr':
      return undefined;
  }
}
