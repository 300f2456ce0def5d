import type { FastifyInstance } from 'fastify';
import { RempartError } from '../../domain/errors/codes.js';
import { cursorPage, errorResponses, tags } from '../../http/api-docs.js';
import { contextOf } from '../../access/access-policy.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { memberBodyProperties, memberRequired, readMemberQuery, type MemberBody } from '../member.js';
import { readHistory, type TransparencyDeps } from '../transparency.js';
import type { DescribedEntry } from '../words.js';

interface AccessesBody extends MemberBody {
  du?: string;
  au?: string;
  curseur?: string;
  limite?: number;
}

const labelled = { type: 'object', required: ['code', 'libelle'], properties: { code: { type: 'string' }, libelle: { type: 'string' } } } as const;

const entrySchema = {
  type: 'object',
  required: ['le', 'jour', 'heure', 'objet', 'domaines', 'resultat', 'phrase'],
  properties: {
    le: { type: 'string', format: 'date-time', description: 'Instant de l’accès (UTC)' },
    jour: { type: 'string', format: 'date', description: 'Jour de l’accès, en France (Europe/Paris)' },
    heure: { type: 'string', description: 'Heure de l’accès en France, HH:MM' },
    professionnel: {
      type: 'object',
      description: 'Absent pour un accès du personnel de sécurité de la plateforme',
      properties: { prenom: { type: 'string' }, nom: { type: 'string' }, profession: { type: 'string', description: 'Profession, en toutes lettres' } },
    },
    structure: {
      type: 'object',
      description: 'Où exerçait le professionnel (absent pour le personnel de la plateforme)',
      properties: { nom: { type: 'string' }, type: { type: 'string' }, departement: { type: 'string' }, nomDepartement: { type: 'string' } },
    },
    objet: { ...labelled, description: 'Ce qui a été fait : vérification des droits (rights_check), calcul (coverage)…' },
    domaines: { type: 'array', items: labelled, description: 'Les domaines de soins dont les droits ont été communiqués (vide si rien ne l’a été)' },
    resultat: { ...labelled, description: 'La réponse donnée : covered, not_covered…' },
    phrase: { type: 'string', description: 'L’accès en une phrase, à montrer tel quel à l’assuré' },
  },
} as const;

const schema = {
  summary: 'Historique des accès aux droits d’un bénéficiaire',
  description:
    'Pour le portail adhérents d’un organisme, où l’assuré est connecté : qui a consulté les droits de ce bénéficiaire, quand, ' +
    'depuis quelle structure, pour quels soins, avec quelle réponse ; du plus récent au plus ancien, par pages. Le bénéficiaire est ' +
    'désigné comme sur ses cartes (dans le corps, jamais dans l’URL) ; inconnu ou adhérent d’un autre organisme : le même refus ' +
    '`MEMBER_UNKNOWN`. Chaque lecture est elle-même enregistrée.',
  tags: [tags.transparency],
  body: {
    type: 'object',
    required: memberRequired,
    additionalProperties: false,
    properties: {
      ...memberBodyProperties,
      du: { type: 'string', format: 'date-time', description: 'Accès à partir de cet instant (inclus)' },
      au: { type: 'string', format: 'date-time', description: 'Accès avant cet instant (exclu)' },
      curseur: { type: 'string', maxLength: 64, description: 'Page suivante : le `suivant` de la page précédente' },
      limite: { type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'Nombre d’accès par page' },
    },
    examples: [{ adherent: 'A123456', nir: '284067512345688', naissance: '1984-06-21', rang: 1, limite: 50 }],
  },
  response: {
    200: cursorPage('Une page d’historique', 'acces', entrySchema),
    ...errorResponses(
      'IDENTIFIER_EMPTY', 'IDENTIFIER_LENGTH', 'IDENTIFIER_CHARACTERS', 'IDENTIFIER_KEY',
      'NIR_SEX', 'NIR_MONTH', 'NIR_DEPARTMENT', 'NIR_COMMUNE', 'NIR_ORDER', 'DATE_INVALID', 'PERIOD_INVALID', 'MEMBER_UNKNOWN',
    ),
  },
} as const;

/** POST /api/v1/transparency/accesses: a member's access history, for the insurer's member portal. */
export function accessesRoute(app: FastifyInstance, deps: TransparencyDeps): void {
  app.post<{ Body: AccessesBody }>('/api/v1/transparency/accesses', { schema }, async (request) => {
    const portal = contextOf(request, 'portal');
    const body = request.body;
    const query = readMemberQuery(body, deps.now());
    const from = body.du === undefined ? undefined : new Date(body.du);
    const to = body.au === undefined ? undefined : new Date(body.au);
    if (from && to && to <= from) throw new RempartError('PERIOD_INVALID', 'au doit suivre du');
    const after = body.curseur === undefined ? undefined : decodeCursor(body.curseur);
    const page = await readHistory(deps, portal, query, { from, to, after, limit: body.limite ?? 50 }, request.ip);
    const last = page.entries.at(-1)?.entry;
    return { acces: page.entries.map(entryResponse), suivant: page.more && last ? encodeCursor({ atMicros: last.atMicros, id: last.id }) : null };
  });
}

function entryResponse(d: DescribedEntry): object {
  const { professional, site } = d.entry;
  return {
    le: d.entry.at.toISOString(),
    jour: d.day,
    heure: d.time,
    ...(professional && { professionnel: { prenom: professional.firstName, nom: professional.lastName, profession: d.profession } }),
    ...(site && { structure: { nom: site.name, type: site.kind, departement: site.department, nomDepartement: d.department } }),
    objet: { code: d.entry.purpose, libelle: d.purpose },
    domaines: d.domains.map((x) => ({ code: x.code, libelle: x.label })),
    resultat: { code: d.entry.result, libelle: d.result },
    phrase: d.sentence,
  };
}
