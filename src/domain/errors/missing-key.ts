import { RempartError } from './codes.js';

/**
 * With DATABASE_URL, every instance must hold the same keys: none is made up on one host,
 * nor taken from the embedded store's development files in REMPART_HOME. The line says
 * which key, which variable names it, and how to make the three of a deployment.
 */
export function missingServerKey(key: string, variable: string): RempartError {
  return new RempartError('SERVER_KEY_MISSING', `${key} : définissez ${variable} ; « rempart keys init --out DOSSIER » crée les clés d’un déploiement`);
}
