import { allCareDomains, careDomains, type CareDomain } from '../../domain/coverage/care-domain.js';
import { commonActs } from './act-codes.js';

/** The datalist of a domain's common acts: the act field names it, and the page's script follows the domain chosen (src/web/browser/care.ts). */
export const actListId = (domain: string): string => `actes-${domain}`;

const DomainOption = ({ domain, chosen }: { domain: CareDomain; chosen: string }): JSX.Element =>
  <option value={domain} selected={domain === chosen}>{domain} — {careDomains[domain]}</option>;

/**
 * The care domain of a line, from the platform's list with its French labels: the
 * profession's own domains first, the others apart (a pharmacist in a laboratory bills
 * biology too; the API refuses a domain the site may not bill, in French).
 */
export function DomainSelect({ own, chosen }: { own: readonly CareDomain[]; chosen: string }): JSX.Element {
  const others = allCareDomains.filter((domain) => !own.includes(domain));
  return (
    <label>
      <span>Domaine</span>
      <select name="domaine" required>
        {own.length === 0 ? '' : <optgroup label="Votre profession">{own.map((domain) => <DomainOption domain={domain} chosen={chosen} />)}</optgroup>}
        <optgroup label="Autres domaines">{others.map((domain) => <DomainOption domain={domain} chosen={chosen} />)}</optgroup>
      </select>
    </label>
  );
}

/** Suggestions of act codes, one list per domain that has some; any other code can still be typed. */
export function ActLists(): JSX.Element {
  return (
    <>
      {Object.entries(commonActs).map(([domain, acts]) => (
        <datalist id={actListId(domain)}>
          {acts.map(([code, label]) => <option value={code} label={`${code} — ${label}`} />)}
        </datalist>
      ))}
    </>
  );
}

/** The API's `dispositif` values (claims/coverage-request.ts), none by default. */
const devices: readonly [string, string][] = [
  ['', '—'], ['monture', 'Monture'], ['verre_simple', 'Verre simple'], ['verre_complexe', 'Verre complexe'],
  ['verre_tres_complexe', 'Verre très complexe'], ['aide_auditive', 'Aide auditive'], ['autre', 'Autre (lentilles, piles…)'],
];

/** What an optical or hearing line sells: it sets the contrat responsable's ceilings (monture, équipement, aide auditive). */
export function DeviceSelect({ chosen = '' }: { chosen?: string }): JSX.Element {
  return (
    <label>
      Dispositif (optique, audioprothèse hors 100 % Santé)
      <select name="dispositif">{devices.map(([value, label]) => <option value={value} selected={value === chosen} safe>{label}</option>)}</select>
    </label>
  );
}
