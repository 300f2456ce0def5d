/**
 * Where to send a person back after login: a path of this platform only. Anything that a
 * browser could read as another origin (`//host`, `/\host`, a scheme) is refused, so that
 * a login link cannot be turned into a redirection to a look-alike site.
 */
export function safeReturnPath(candidate: string | null | undefined): string | undefined {
  if (!candidate || candidate.length > 512) return undefined;
  return /^\/(?![/\\])[^\s\\]*$/.test(candidate) ? candidate : undefined;
}
