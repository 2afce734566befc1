/** The session cookie: HttpOnly, SameSite=Strict, and Secure whenever the request came over TLS. */
export const SESSION_COOKIE = 'relief_session';

export function sessionCookie(token: string, expiresAt: string, protocol: string): string {
  const secure = protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Expires=${new Date(expiresAt).toUTCString()}${secure}`;
}

export function clearedSessionCookie(protocol: string): string {
  const secure = protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
