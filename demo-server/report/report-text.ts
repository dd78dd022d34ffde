/**
 * The session report's words: the phone's string tables (src/i18n), in the
 * language the request asked for. Counts pick their form with
 * Intl.PluralRules; numbers and dates go through Intl in the language.
 */
import { en, type Message, type MessageKey } from '../../src/i18n/en.js';
import { ja } from '../../src/i18n/ja.js';

export type ReportLanguage = 'en' | 'ja';
const TABLES: Record<ReportLanguage, Record<MessageKey, Message>> = { en, ja };
const LOCALES: Record<ReportLanguage, string> = { en: 'en-GB', ja: 'ja-JP' };

/** The report's own strings, and the reaction names the phone uses. */
export type ReportKey = MessageKey & (`report.${string}` | `reaction.${string}`);

/** A report string with its `{name}` placeholders filled; `count` picks the plural form. */
export function reportText(language: ReportLanguage, key: ReportKey, params: Record<string, string | number> = {}): string {
  const message = TABLES[language][key];
  const form =
    typeof message === 'string'
      ? message
      : new Intl.PluralRules(LOCALES[language]).select(Number(params.count ?? 0)) === 'one'
        ? (message.one ?? message.other)
        : message.other;
  return form.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export const reportLocale = (language: ReportLanguage) => LOCALES[language];

export const reportNumber = (language: ReportLanguage, value: number, options?: Intl.NumberFormatOptions) =>
  new Intl.NumberFormat(LOCALES[language], options).format(value);
