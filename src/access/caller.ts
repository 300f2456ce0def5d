import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database.js';
import { todayUtc } from '../domain/dates.js';
import type { Practice } from '../domain/coverage/practice-domains.js';
import { RempartError } from '../domain/errors/codes.js';
import { contextOf } from './access-policy.js';
import { provedFrom, type ProvedFrom } from './people/sessions.js';

/** Who is asking, as a disclosure is bound to and logged against: site, professional, software or session. */
export interface Caller {
  professionalId: number;
  siteId: number;
  practice: Practice;
  clientId: string | null;
  sessionRef: string | null;
  ip: string;
  /** The software's DPoP key thumbprint, or the browser's user agent. */
  device: string | null;
  /** A person's session: when and where its holder last proved presence. */
  presence: { at: Date; from: ProvedFrom | null } | null;
}

/**
 * The caller of a disclosure route, from the request context only. Software acts for its
 * own site; a professional on the pages names one of the sites where they practise today.
 */
export async function callerOf(db: Database, request: FastifyRequest, structure: string | undefined, now: Date): Promise<Caller> {
  const context = contextOf(request);
  if (context.kind === 'staff' || context.kind === 'portal') throw new RempartError('AUTH_FORBIDDEN');
  // Software acts for its own site, whose practice its context already holds.
  const practice = context.kind === 'client' ? { siteId: context.siteId, practice: context.practice } : await practiceAt(db, context.professional.id, structure ?? '', now);
  if (!practice) throw new RempartError('SITE_UNKNOWN', structure);
  return {
    professionalId: context.professional.id,
    siteId: practice.siteId,
    practice: practice.practice,
    clientId: context.kind === 'client' ? context.clientId : null,
    sessionRef: context.kind === 'client' ? null : context.session.ref,
    ip: request.ip,
    device: context.kind === 'client' ? `dpop:${context.keyThumbprint}` : provedFrom(request).device,
    presence: context.kind === 'client' ? null : { at: context.session.authenticatedAt, from: context.session.provedFrom },
  };
}

/** A professional on the pages names the site: it must be one where they practise today. */
async function practiceAt(db: Database, professionalId: number, structure: string, now: Date): Promise<{ siteId: number; practice: Practice } | undefined> {
  const found = await db.query<{ site_id: number; profession_code: string; specialty: string | null; kind: string }>(
    `SELECT s.id AS site_id, p.profession_code, p.specialty, s.kind
       FROM professional p JOIN activity a ON a.professional_id = p.id JOIN site s ON s.id = a.site_id
      WHERE p.id = $1 AND (s.finess = $2 OR s.siret = $2) AND active_on(a.started_on, a.ended_on, $3::date) LIMIT 1`,
    [professionalId, structure, todayUtc(now)],
  );
  const row = found.rows[0];
  return row && { siteId: Number(row.site_id), practice: { professionCode: row.profession_code, specialty: row.specialty, siteKind: row.kind } };
}
