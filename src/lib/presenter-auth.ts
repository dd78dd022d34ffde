/**
 * The presenter token arrives in the URL fragment (`#token=…`), which
 * browsers never send to a server. It is moved to sessionStorage (this tab
 * only) and wiped from the address bar, so it does not end up in a
 * screenshot of the projector or in history.
 */
const KEY = 'livedeck.presenterToken';

export function presenterToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    try {
      sessionStorage.setItem(KEY, fromHash);
    } catch {
      // Without storage the token lives only in this page.
    }
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function forgetPresenterToken(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

/** Fetches a presenter-only route with the token in the Authorization header. */
export async function presenterFetch(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return fetch(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` }, cache: 'no-store' });
}
