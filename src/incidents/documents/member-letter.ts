import { includesRightsCheck, memberCareTypes, memberWords } from './categories.js';
import { list, paragraph, type Block, type Doc } from './doc.js';
import type { MemberFacts, NotificationFacts } from './facts.js';
import { frenchPeriod } from './french.js';
import { careTypeHint, contact, rightsCheckNeeds, rightToComplain, risks, whatHappened, whatToDo, whatWasSeen, whatWeDid } from './letter-sections.js';

/** The parts of the letter that change from one person to the next. */
interface Personal {
  reference: string;
  period: string;
  /** What was seen, with what it says about the person who saw it. */
  seen: Block[];
}

const title = 'Vos informations ont été consultées sans autorisation';

/**
 * The letter to one person (GDPR art. 34): only that person's categories and dates, and
 * nothing internal (no beneficiary id, no snapshot, no hash).
 */
export function memberLetter(facts: NotificationFacts, member: MemberFacts): Doc {
  return letter(facts, title, [], {
    reference: `adhérent n° ${member.memberNumber}, rang ${member.rank}`,
    period: frenchPeriod(member.firstAt, member.lastAt),
    seen: seenBy(member.categories),
  });
}

/**
 * The same letter for the insurer's review, the personal parts shown as « … » fields; the
 * list of what was seen shows every wording this insurer's members may receive.
 */
export function memberLetterModel(facts: NotificationFacts): Doc {
  const categories = facts.exposure.categories.map((c) => c.category);
  const intro = paragraph(`Modèle pour relecture par ${facts.insurer.name}. Les parties entre « » changent pour chaque personne : elles viennent du fichier des membres.`);
  return letter(facts, `Modèle — ${title}`, [intro], {
    reference: 'adhérent n° « numéro d’adhérent », rang « rang »',
    period: 'du « date de la première consultation » au « date de la dernière consultation »',
    seen: [
      paragraph('« informations vues pour cette personne », selon le cas parmi :'),
      list(memberWords(categories)),
      ...(includesRightsCheck(categories) ? [paragraph(`« si les droits ont été vérifiés : » ${rightsCheckNeeds}`)] : []),
      paragraph(`« si un type de soins est nommé : » ${careTypeHint('« types de soins »')}`),
    ],
  });
}

/** One person's categories in words, what a rights check implies, and what the type of care hints at. */
function seenBy(categories: readonly string[]): Block[] {
  const careTypes = memberCareTypes(categories);
  return [
    list(memberWords(categories)),
    ...(includesRightsCheck(categories) ? [paragraph(rightsCheckNeeds)] : []),
    ...(careTypes.length > 0 ? [paragraph(careTypeHint(careTypes.join(', ')))] : []),
  ];
}

function letter(facts: NotificationFacts, heading: string, preamble: Block[], personal: Personal): Doc {
  return {
    title: heading,
    author: facts.insurer.name,
    date: facts.snapshot.computedAt,
    blocks: [
      ...preamble,
      paragraph('Madame, Monsieur,'),
      paragraph('Nous vous écrivons car des informations sur vous ont été consultées sans autorisation. Voici ce qui s’est passé, et ce que vous pouvez faire.'),
      ...whatHappened(facts, personal.period),
      ...whatWasSeen(personal.seen),
      ...risks(facts),
      ...whatWeDid(facts),
      ...whatToDo(facts),
      ...contact(facts, personal.reference),
      ...rightToComplain(facts),
    ],
  };
}
