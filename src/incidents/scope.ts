import { isIP } from 'node:net';
import { RempartError } from '../domain/errors/codes.js';

/**
 * What an incident is about: the accounts, sites, software, networks and devices that
 * may have been in an attacker's hands, over a time window. A record is in scope when it
 * falls in the window and matches any one of them.
 */
export interface IncidentScope {
  from: Date;
  to: Date;
  /** Internal professional ids (the CLI and the API take RPPS numbers). */
  professionals: number[];
  /** Internal site ids (taken as FINESS or SIRET). */
  sites: number[];
  clients: string[];
  /** CIDR blocks, e.g. 203.0.113.0/24 or 2001:db8::/32. */
  networks: string[];
  devices: string[];
}

/** A scope that names something, over a window that ends after it starts; else INCIDENT_SCOPE_INVALID. */
export function checkScope(scope: IncidentScope): IncidentScope {
  const invalid = (reason: string): never => {
    throw new RempartError('INCIDENT_SCOPE_INVALID', reason);
  };
  if (Number.isNaN(scope.from.getTime()) || Number.isNaN(scope.to.getTime())) invalid('dates de début et de fin attendues');
  if (scope.to.getTime() <= scope.from.getTime()) invalid('la fin de la période doit suivre son début');
  const named = scope.professionals.length + scope.sites.length + scope.clients.length + scope.networks.length + scope.devices.length;
  if (named === 0) invalid('au moins un compte, site, logiciel, réseau ou appareil');
  for (const network of scope.networks) if (!isCidr(network)) invalid(`réseau invalide : ${network} (attendu 203.0.113.0/24)`);
  for (const id of [...scope.professionals, ...scope.sites]) if (!Number.isSafeInteger(id) || id < 1) invalid(`identifiant invalide : ${id}`);
  return scope;
}

function isCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
