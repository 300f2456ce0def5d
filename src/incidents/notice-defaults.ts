import type { NoticeContext } from './notification.js';

/** What the documents say happened and was done, unless the officer says otherwise (`rempart incident export --nature --measure`). */
export const DEFAULT_NATURE =
  'Un ou plusieurs comptes de professionnel de santé ont été utilisés sans autorisation pour consulter, sur la plateforme de tiers payant, les droits de personnes couvertes.';
export const DEFAULT_MEASURES = [
  'Les comptes concernés ont été suspendus et leurs sessions révoquées dès la détection.',
  'Les personnes concernées ont été identifiées exactement à partir du journal d’accès infalsifiable de la plateforme.',
];
export const DEFAULT_DPO_CONTACT = 'le délégué à la protection des données de {organisme}';

/** The documents' context: the operator as the deployment names it (REMPART_OPERATOR_NAME, REMPART_OPERATOR_CONTACT), the rest as given or by default. */
export function noticeContext(env: NodeJS.ProcessEnv, given: { nature?: string; measures?: readonly string[]; dpoContact?: string; letters?: boolean } = {}): NoticeContext {
  const dpo = given.dpoContact ?? DEFAULT_DPO_CONTACT;
  return {
    nature: given.nature ?? DEFAULT_NATURE,
    measures: given.measures && given.measures.length > 0 ? [...given.measures] : DEFAULT_MEASURES,
    operator: { name: env.REMPART_OPERATOR_NAME ?? 'L’opérateur de tiers payant', contact: env.REMPART_OPERATOR_CONTACT ?? 'securite@operateur.example' },
    dpoContact: (insurer) => dpo.replaceAll('{organisme}', insurer.name),
    letters: given.letters === true,
  };
}
