/**
 * The random id that makes a reload the same person (votes, limits, bans).
 * Kept in localStorage; private browsing without storage still works, as a
 * new person per page load.
 */
import { CLIENT_ID_PATTERN } from '../shared/limits';

const KEY = 'livedeck.clientId';

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function clientId(): string {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored && CLIENT_ID_PATTERN.test(stored)) return stored;
    const created = randomId();
    localStorage.setItem(KEY, created);
    return created;
  } catch {
    return randomId();
  }
}
