import type Provider from 'oidc-provider';
import type { OidcLogin } from './oidc-login.js';
import type { Passkeys } from './passkeys.js';

/** People's logins, when configured: the OIDC client and, in development, the local provider. */
export interface People {
  login: OidcLogin;
  passkeys: Passkeys;
  devIdp: Provider | undefined;
  /** Cookies are Secure except on a plain-HTTP development origin. */
  secureCookies: boolean;
}
