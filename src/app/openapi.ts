import type { FastifyInstance } from 'fastify';
import { accessDocs, securitySchemes } from '../access/openapi.js';
import { SESSION_COOKIE } from '../access/people/sessions.js';
import { AUTHORIZATION_SERVER_METADATA_PATH } from '../access/access.js';
import { STRONG_PROOF_SECONDS } from '../access/people/strong-proof.js';
import { STEP_UP_SECONDS } from '../access/policy.js';
import { PROFESSIONAL_HEADER } from '../access/request-context.js';
import { ACCESS_TOKEN_SECONDS } from '../access/token-signer.js';
import { fhirOperations } from '../fhir/openapi.js';
import { MAX_JSON_DEPTH } from '../http/plugins/json-body.js';
import { registerOpenApi } from '../http/plugins/openapi.js';
import { defaultThresholds } from '../shield/config.js';

/** The server's body limit (buildServer), in KiB. */
export const BODY_LIMIT_KIB = 64;

const description = `API de Rempart, plateforme de tiers payant des organismes complémentaires (AMC) : identification des droits (IDB), calcul de la part complémentaire (CLC), administration des logiciels d’une structure.

## Logiciels de professionnels de santé
1. **Enregistrement.** Le titulaire de la structure (pharmacie, cabinet…) enregistre le logiciel et ses clés publiques (JWKS) sur ses pages, ou par \`POST /api/v1/site/clients\`. Aucun secret partagé.
2. **Jeton.** \`POST /oauth/token\` (formulaire \`application/x-www-form-urlencoded\` ou JSON) avec \`grant_type=client_credentials\`, \`client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer\` et \`client_assertion\` : un JWT signé par l’une des clés privées du logiciel (**private_key_jwt**, RFC 7523 ; ES256, EdDSA, PS256 ou RS256) dont \`iss\` et \`sub\` sont l’identifiant du logiciel, \`aud\` l’URL du point de jeton, avec \`jti\` unique, \`iat\` et \`exp\` (cinq minutes au plus). La requête porte l’en-tête \`DPoP\` : une preuve (RFC 9449, \`typ: dpop+jwt\`, ES256, EdDSA ou PS256, clé publique dans l’en-tête \`jwk\`) signée par la clé de l’installation, avec \`htm=POST\`, \`htu\` = l’URL du point de jeton, \`iat\`, \`jti\` unique. Le jeton rendu (\`token_type: DPoP\`, ${ACCESS_TOKEN_SECONDS} secondes) est **lié à cette clé** : copié sans elle, il ne sert à rien. Le schéma de sécurité \`jetonDPoP\` décrit ce flux OAuth 2 \`clientCredentials\`, et \`GET ${AUTHORIZATION_SERVER_METADATA_PATH}\` en donne les métadonnées (RFC 8414 : point de jeton, \`private_key_jwt\`, algorithmes des assertions et des preuves DPoP).
3. **Appels.** Chaque appel porte \`Authorization: DPoP <jeton>\`, une nouvelle preuve \`DPoP\` (\`htm\` = la méthode, \`htu\` = l’URL appelée sans sa requête, \`ath\` = SHA-256 du jeton en base64url, \`jti\` jamais réutilisé, moins d’une minute) et l’en-tête \`${PROFESSIONAL_HEADER}\` : le RPPS du professionnel pour qui agit le logiciel, qui doit exercer ce jour dans la structure du logiciel et ne pas être suspendu.

## Bouclier anti-aspiration
Chaque identification des droits et chaque calcul, par un logiciel ou sur les pages, passe d’abord par le bouclier du compte du professionnel. Selon son activité :
- **ralentissement** : la réponse arrive normalement, mais après un délai (${defaultThresholds.slowDelayMs} ms par défaut), au terme duquel la requête est jugée de nouveau ; le logiciel attend la réponse, sans renvoyer la requête. Au-delà de ${defaultThresholds.concurrentRequests} requêtes simultanées pour un professionnel, \`429 SHIELD_SLOW_DOWN\` avec l’en-tête \`Retry-After\` (secondes à attendre avant de renvoyer la même requête) ;
- **confirmation d’identité** : \`401 SHIELD_STEP_UP_REQUIRED\`, sans \`Retry-After\` (attendre n’y change rien). Le professionnel confirme son identité sur les pages de la plateforme : page d’accueil \`/\`, connexion par Pro Santé Connect (carte CPS ou e-CPS, \`GET /auth/login\`) ou par sa clé d’accès ; une personne déjà connectée peut aussi confirmer par \`POST /auth/step-up\`. Ensuite seulement, le logiciel renvoie la requête ;
- **compte fermé** : \`403 SHIELD_ACCOUNT_CLOSED\`, sans \`Retry-After\` : compte suspendu ou inutilisé depuis longtemps, seul le support le rouvre.

## Portails adhérents des organismes
Le portail adhérents d’un organisme est un client comme un logiciel (mêmes jeton, \`private_key_jwt\` et DPoP, sans en-tête \`${PROFESSIONAL_HEADER}\`), enregistré pour cet organisme seul (\`rempart clients add-portal\`) : il lit l’historique des accès de ses propres bénéficiaires (\`/api/v1/transparency/…\`).

## Personnes
Professionnels, titulaires et personnel se connectent sur les pages par Pro Santé Connect (\`GET /auth/login\`) ou une clé d’accès : la session est le cookie \`${SESSION_COOKIE}\` (HttpOnly, SameSite=Strict). Les actions sensibles demandent une preuve de présence de moins de ${STEP_UP_SECONDS / 60} minutes (\`AUTH_STEP_UP_REQUIRED\` sinon : confirmer par \`POST /auth/step-up\`). Enregistrer ou retirer ce qui authentifie (clé d’accès, logiciel et ses clés, délégation, compte) demande une preuve forte (clé d’accès déjà enregistrée, ou connexion Pro Santé Connect) de moins de ${STRONG_PROOF_SECONDS / 60} minutes, donnée depuis le même réseau ou le même appareil (\`AUTH_FRESH_PROOF_REQUIRED\` sinon : confirmer sur la page /moi). Sur les routes ouvertes aux deux, une personne nomme sa structure (\`structure\` : FINESS ou SIRET) ; un logiciel agit pour la sienne.

## Requêtes et erreurs
Corps en JSON UTF-8 (\`application/json\`), ${BODY_LIMIT_KIB} Kio au plus, ${MAX_JSON_DEPTH} niveaux d’imbrication au plus, sans clé en double ; un champ inconnu est refusé, pas ignoré. Montants en centimes, dates \`AAAA-MM-JJ\`. Tout refus a pour corps \`{ "code", "message" }\` : le \`code\` est stable et se teste, le \`message\` est en français pour l’utilisateur et peut changer. Chaque opération liste les codes qu’elle peut rendre.`;

/** The OpenAPI document of this platform: its text, the access policy's security and refusals, the FHIR scope's own documentation. */
export async function registerApiDocs(app: FastifyInstance, publicOrigin: string): Promise<void> {
  await registerOpenApi(app, { publicOrigin, description, securitySchemes: securitySchemes(publicOrigin), operations: fhirOperations, accessOf: accessDocs });
}
