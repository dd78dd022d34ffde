/**
 * Word cloud counting: which entries are "the same word", and how a word is
 * shown. Pure, shared by the server (which counts) and the browsers (which
 * show a person the key their entry counts under).
 *
 * Entries are counted under a key: Unicode NFKC (full-width ＦＡＳＴ is FAST,
 * half-width ｶﾅ is カナ), case-folded, inner spaces collapsed and surrounding
 * punctuation stripped ("fast!" and "速い。" count as "fast" and "速い"). A word
 * is shown in the form most people typed, with its surrounding punctuation
 * stripped but its case and width kept; ties go to the form typed first.
 */

const LEADING_PUNCTUATION = /^[\p{P}\s]+/u;
const TRAILING_PUNCTUATION = /[\p{P}\s]+$/u;
const SPACES = /\s+/gu;

/** Punctuation at either end goes; a "#" right after a letter stays, so that "C#" is not "c". */
function stripPunctuation(text: string): string {
  let result = text.replace(LEADING_PUNCTUATION, '');
  const tail = TRAILING_PUNCTUATION.exec(result);
  if (tail) {
    const head = result.slice(0, tail.index);
    result = head + (tail[0].startsWith('#') && /\p{L}$/u.test(head) ? '#' : '');
  }
  return result.replace(SPACES, ' ');
}

/** How an entry is shown: trimmed, inner spaces collapsed, surrounding punctuation stripped. */
export function wordForm(text: string): string {
  return stripPunctuation(text.trim());
}

/** The key an entry is counted under; empty when nothing but punctuation was typed. */
export function wordKey(text: string): string {
  return stripPunctuation(text.normalize('NFKC').toLowerCase().normalize('NFKC').trim());
}

export interface WordEntry {
  key: string;
  /** What the person typed (trimmed). */
  text: string;
  hidden: boolean;
}

export interface CountedWord {
  key: string;
  /** The most common form. */
  text: string;
  count: number;
}

/**
 * Counts entries (oldest first) per key, without hidden entries and hidden
 * keys: the most frequent first, ties in order of first appearance.
 */
export function countWords(entries: Iterable<WordEntry>, hiddenKeys: ReadonlySet<string> = new Set()): CountedWord[] {
  const words = new Map<string, { count: number; forms: Map<string, number> }>();
  for (const entry of entries) {
    if (entry.hidden || hiddenKeys.has(entry.key)) continue;
    let word = words.get(entry.key);
    if (!word) words.set(entry.key, (word = { count: 0, forms: new Map() }));
    word.count++;
    const form = wordForm(entry.text);
    word.forms.set(form, (word.forms.get(form) ?? 0) + 1);
  }
  const counted = [...words].map(([key, word], order) => {
    let text = key;
    let best = 0;
    // Map order is insertion order: on a tie the earlier form stays.
    for (const [form, count] of word.forms) {
      if (count > best) [text, best] = [form, count];
    }
    return { key, text, count: word.count, order };
  });
  counted.sort((a, b) => b.count - a.count || a.order - b.order);
  return counted.map(({ key, text, count }) => ({ key, text, count }));
}
