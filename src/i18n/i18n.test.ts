/**
 * The two string tables hold the same keys, each message with the same
 * placeholders in both languages (a missing `{count}` would print a raw
 * brace or drop a number), and the language is picked from the browser's.
 */
import { describe, expect, it } from 'vitest';
import { en, type Message } from './en';
import { pickLanguage } from './i18n';
import { ja } from './ja';
import { REFUSALS } from '../shared/protocol';

const forms = (message: Message): string[] => (typeof message === 'string' ? [message] : Object.values(message).filter((form) => form !== undefined));
const placeholders = (message: Message): string[] =>
  [...new Set(forms(message).flatMap((form) => [...form.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!)))].sort();

describe('string tables', () => {
  it('has every key in both languages, and no other', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en) as Array<keyof typeof en>)('%s: the same placeholders in Japanese, and text in each form', (key) => {
    expect(placeholders(ja[key])).toEqual(placeholders(en[key]));
    for (const form of [...forms(en[key]), ...forms(ja[key])]) expect(form.trim()).not.toBe('');
  });

  it('words every refusal reason the server may send, and no reason it does not', () => {
    const worded = Object.keys(en).filter((key) => key.startsWith('refusal.'));
    expect(worded.sort()).toEqual(
      Object.keys(REFUSALS)
        .map((reason) => `refusal.${reason}`)
        .sort(),
    );
  });

  it('counts in English with a singular and a plural, in Japanese with one form', () => {
    for (const message of Object.values(en)) if (typeof message !== 'string') expect(message.one ?? message.other).toBeTruthy();
    for (const message of Object.values(ja)) if (typeof message !== 'string') expect(message.one).toBeUndefined();
  });
});

describe('pickLanguage', () => {
  it.each([
    [['ja-JP', 'en-US'], 'ja'],
    [['JA'], 'ja'],
    [['fr-FR', 'ja'], 'ja'],
    [['en-GB', 'ja-JP'], 'en'],
    [['fr-FR', 'de'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (preferred, language) => {
    expect(pickLanguage(preferred)).toBe(language);
  });
});
