/**
 * The language of every screen: English or Japanese, chosen from the
 * browser's languages (or the person's own choice on the phone), English
 * when nothing matches. Strings live in one table per language (en.ts,
 * ja.ts); only English is in every bundle, Japanese loads when it is the
 * language. Numbers, dates and relative times go through Intl.
 *
 * Messages hold `{name}` placeholders; a message that depends on a count is
 * `{ one, other }`, picked with Intl.PluralRules (Japanese has only `other`).
 */
import { en, type MessageKey, type Messages } from './en';

export type { MessageKey, Messages } from './en';

export const LANGUAGES = ['en', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What each language calls itself, for the phone's switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ja: '日本語' };

const STORAGE_KEY = 'livedeck.language';

let current: Language = 'en';
let table: Messages = en;
let plurals = new Intl.PluralRules('en');

const isLanguage = (value: string | null | undefined): value is Language => (LANGUAGES as readonly string[]).includes(value ?? '');

/** The first of the browser's languages we speak ("ja-JP" is Japanese), else English. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** The person's own choice on this device, if they made one. */
export function storedLanguage(): Language | null {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : null;
  } catch {
    return null;
  }
}

export function storeLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Without storage the choice lasts as long as the page.
  }
}

async function tableFor(language: Language): Promise<Messages> {
  return language === 'ja' ? (await import('./ja')).ja : en;
}

/**
 * Chooses and loads the page's language before anything is drawn, and marks
 * the document with it (`lang` picks fonts and line breaking). A table that
 * cannot load leaves the page in English.
 */
export async function startLanguage(preferred: readonly string[] = navigator.languages ?? [navigator.language]): Promise<Language> {
  const wanted = storedLanguage() ?? pickLanguage(preferred);
  try {
    table = await tableFor(wanted);
    current = wanted;
  } catch {
    table = en;
    current = 'en';
  }
  plurals = new Intl.PluralRules(current);
  document.documentElement.lang = current;
  return current;
}

export function language(): Language {
  return current;
}

export type MessageParams = Record<string, string | number>;

/** Whether a key from elsewhere (a server's refusal reason) has a message: a newer server may send one this page lacks. */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** The message in the page's language, its placeholders filled (numbers formatted for the language). */
export function t(key: MessageKey, params: MessageParams = {}): string {
  const message = table[key] ?? en[key];
  const text = typeof message === 'string' ? message : pickPlural(message, params.count);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

function pickPlural(message: { one?: string; other: string }, count: string | number | undefined): string {
  if (typeof count !== 'number') return message.other;
  return plurals.select(count) === 'one' && message.one !== undefined ? message.one : message.other;
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(current, options).format(value);
}

/** 0.5 → "50%". */
export function formatPercent(share: number): string {
  return formatNumber(share, { style: 'percent', maximumFractionDigits: 0 });
}

/** A time of day, hours and minutes (the chat, answers). */
export function formatTime(ts: number): string {
  return new Intl.DateTimeFormat(current, { hour: '2-digit', minute: '2-digit' }).format(ts);
}

/** A day as a date line reads: "30 November 2026", "2026年11月30日". */
export function formatDateLong(ts: number): string {
  return new Intl.DateTimeFormat(current === 'en' ? 'en-GB' : current, { day: 'numeric', month: 'long', year: 'numeric' }).format(ts);
}

/** A date with its time (the sessions list). */
export function formatDateTime(ts: number): string {
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(ts);
}

/** A length of time in seconds: "12 s", "12 秒". */
export function formatSeconds(seconds: number): string {
  return t('unit.seconds', { count: Math.round(seconds * 10) / 10 });
}

/** A short delay as people read it: "120 ms", "1.2 s". */
export function formatDelay(ms: number): string {
  return ms < 1000 ? t('unit.milliseconds', { count: Math.round(ms) }) : formatSeconds(ms / 1000);
}

/** "12 seconds ago", "12 秒前": exact seconds, where formatRelative rounds to "now". */
export function formatSecondsAgo(seconds: number): string {
  return new Intl.RelativeTimeFormat(current, { numeric: 'always' }).format(-Math.round(seconds), 'second');
}

/** "3 minutes ago", "たった今": from the nearest unit. */
export function formatRelative(ts: number, now = Date.now()): string {
  const seconds = Math.round((ts - now) / 1000);
  const format = new Intl.RelativeTimeFormat(current, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return format.format(0, 'second');
  if (abs < 45 * 60) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

/**
 * Static text in a page's HTML: `data-i18n="key"` sets the text,
 * `data-i18n-label="key"` the aria-label, `data-i18n-title="key"` the title.
 */
export function translatePage(root: ParentNode = document): void {
  for (const node of root.querySelectorAll<HTMLElement>('[data-i18n]')) node.textContent = t(node.dataset.i18n as MessageKey);
  for (const node of root.querySelectorAll<HTMLElement>('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel as MessageKey));
  for (const node of root.querySelectorAll<HTMLElement>('[data-i18n-title]')) node.title = t(node.dataset.i18nTitle as MessageKey);
}
