/**
 * The presenter's display name on this device (shown to co-presenters as who
 * is driving). Kept in localStorage, so this browser's projector and console
 * share it and drive together as one seat.
 */
const KEY = 'livedeck.presenterName';

export function presenterName(): string | undefined {
  try {
    return localStorage.getItem(KEY)?.trim() || undefined;
  } catch {
    return undefined;
  }
}

export function setPresenterName(name: string): void {
  try {
    if (name.trim()) localStorage.setItem(KEY, name.trim());
    else localStorage.removeItem(KEY);
  } catch {
    // Without storage the name lives only in this page.
  }
}
