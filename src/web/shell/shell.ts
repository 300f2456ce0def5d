import type {} from '@fastify/cookie';
import type {} from '@kitajs/fastify-html-plugin';
import type { FastifyRequest } from 'fastify';
import { rolesOf } from '../../access/request-context.js';
import { SESSION_COOKIE } from '../../access/people/sessions.js';
import { csrfToken } from '../../http/plugins/csrf.js';
import type { Assets } from '../assets/store.js';

/** A link of the navigation, shown to the roles that may open it. */
interface NavLink { href: string; label: string; roles: readonly string[] }

/** Every page a person can open, in the header's order: a link only for the roles the access policy lets through. */
const NAVIGATION: readonly NavLink[] = [
  { href: '/soins', label: 'Droits et calcul', roles: ['professional'] },
  { href: '/factures', label: 'Factures', roles: ['professional'] },
  { href: '/accords', label: 'Accords préalables', roles: ['professional'] },
  { href: '/paiements', label: 'Paiements', roles: ['professional'] },
  { href: '/structure', label: 'Ma structure', roles: ['site_admin'] },
  { href: '/securite', label: 'Sécurité', roles: ['security_officer'] },
  { href: '/securite/incidents', label: 'Incidents', roles: ['security_officer'] },
  { href: '/organisme', label: 'Fichiers et portails', roles: ['insurer_agent'] },
  { href: '/organisme/factures', label: 'Factures', roles: ['insurer_agent'] },
  { href: '/organisme/financement', label: 'Financement', roles: ['insurer_agent'] },
  { href: '/organisme/incidents', label: 'Incidents', roles: ['insurer_agent'] },
  { href: '/administration', label: 'Administration', roles: ['operator_admin'] },
  { href: '/moi', label: 'Mon compte', roles: ['professional', 'insurer_agent', 'security_officer', 'operator_admin'] },
];

/** What the page shell needs of the request: who is logged in (for the navigation), the CSRF token, the assets, where we are. */
export interface Shell {
  assets: Assets;
  path: string;
  /** Empty on public pages: no navigation nor logout there. */
  navigation: { href: string; label: string }[];
  /** The session's token, for the forms and the script's API calls; absent without a session cookie. */
  csrf: string | undefined;
}

export function shellOf(request: FastifyRequest, assets: Assets): Shell {
  const roles: string[] = request.context ? rolesOf(request.context) : [];
  const cookie = request.cookies[SESSION_COOKIE];
  return {
    assets,
    path: request.url.split('?')[0] ?? '/',
    navigation: NAVIGATION.filter((link) => link.roles.some((role) => roles.includes(role))).map(({ href, label }) => ({ href, label })),
    csrf: cookie ? csrfToken(cookie) : undefined,
  };
}
