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
