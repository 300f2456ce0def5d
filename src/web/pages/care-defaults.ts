import type { CareDomain } from '../../domain/coverage/care-domain.js';
import { domainsForPractice } from '../../domain/coverage/practice-domains.js';

/**
 * The calculation line a professional starts from: what their profession bills. A
 * pharmacist starts on a medicine at 65 % (DOMAIN.md, example 3), not on a physician's visit,
 * which the API refuses them (not in their care domains). Other professions start on their
 * own domain with the act and amounts to type. Amounts in euros as a French reader types them.
 */
export interface LineDefaults { acte: string; domaine: string; prix: string; base: string; tauxAmo: string; pf: string }

const known: Readonly<Record<string, LineDefaults>> = {
  '10': { acte: 'G', domaine: 'MED', prix: '30,00', base: '30,00', tauxAmo: '70', pf: '2,00' },
  '21': { acte: 'PH7', domaine: 'PHAR', prix: '10,00', base: '10,00', tauxAmo: '65', pf: '0' },
};

/** The domains a profession bills wherever it practises (the site's own additions, biology or hospital, are among the others). */
export const professionDomains = (professionCode: string): CareDomain[] => domainsForPractice({ professionCode, specialty: null, siteKind: '' });

export function lineDefaults(professionCode: string): LineDefaults {
  const [domain = ''] = professionDomains(professionCode);
  return known[professionCode] ?? { acte: '', domaine: domain, prix: '', base: '', tauxAmo: '', pf: '0' };
}

/** A line of a quote as /accords starts it: what it is, in words, and its fields (amounts in euros as typed; price left to type). */
export interface QuoteLineDefaults { libelle: string; acte: string; prix: string; base: string; tauxAmo: string; dispositif: string; cote: '' | 'D' | 'G' }

/** The quote a professional starts from on /accords: the domain and lines of the equipment their profession asks agreements for. */
export interface QuoteDefaults { domaine: string; lignes: QuoteLineDefaults[] }

/** Class B glasses (outside 100 % Santé) at the LPP's 0,05 € base and 60 % AMO, as the demo's optician quotes them (src/cli/demo-optician.ts). */
const lpp = { prix: '', base: '0,05', tauxAmo: '60' } as const;
const lens = { ...lpp, acte: 'VER', dispositif: 'verre_simple' } as const;
/** A class II hearing aid for an adult: a 400 € base at 60 %. */
const hearingAid = { prix: '', base: '400,00', tauxAmo: '60', acte: 'AUD', dispositif: 'aide_auditive' } as const;

const quotes: Readonly<Record<string, QuoteDefaults>> = {
  '28': {
    domaine: 'OPTI',
    lignes: [{ ...lpp, libelle: 'Monture', acte: 'MON', dispositif: 'monture', cote: '' }, { ...lens, libelle: 'Verre, œil droit', cote: 'D' }, { ...lens, libelle: 'Verre, œil gauche', cote: 'G' }],
  },
  '26': { domaine: 'AUDI', lignes: [{ ...hearingAid, libelle: 'Aide auditive, oreille droite', cote: 'D' }, { ...hearingAid, libelle: 'Aide auditive, oreille gauche', cote: 'G' }] },
  // A prosthesis is coded in CCAM: too many codes to guess one; its base and the AMO's 60 % are typed from the quote.
  '40': { domaine: 'DENT', lignes: [{ libelle: 'Prothèse', acte: '', prix: '', base: '', tauxAmo: '60', dispositif: '', cote: '' }] },
};

/** Other professions (a hospital's stay has its own fields, not offered here) start on an optical line to fill. */
export const quoteDefaults = (professionCode: string): QuoteDefaults =>
  quotes[professionCode] ?? { domaine: 'OPTI', lignes: [{ libelle: 'Ligne du devis', acte: '', prix: '', base: '', tauxAmo: '', dispositif: '', cote: '' }] };
