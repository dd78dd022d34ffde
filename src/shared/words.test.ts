import { describe, expect, it } from 'vitest';
import { countWords, wordForm, wordKey } from './words';

describe('word keys', () => {
  it.each([
    ['Fast', 'fast'],
    ['fast!', 'fast'],
    ['ＦＡＳＴ', 'fast'],
    ['  "Fast?!"  ', 'fast'],
    ['速い', '速い'],
    ['速い。', '速い'],
    ['「速い」', '速い'],
    ['ﾊﾔｲ', 'ハヤイ'],
    ['Event  loop', 'event loop'],
    ['C#', 'c#'],
    ['C#!', 'c#'],
    ['#node', 'node'],
    ['C++', 'c++'],
    ['Node.js', 'node.js'],
    ['!!!', ''],
    ['。', ''],
  ])('%j counts as %j', (text, key) => {
    expect(wordKey(text)).toBe(key);
  });

  it('shows a form with its case and width kept, punctuation stripped', () => {
    expect(wordForm(' fast! ')).toBe('fast');
    expect(wordForm('ＦＡＳＴ')).toBe('ＦＡＳＴ');
    expect(wordForm('速い。')).toBe('速い');
  });
});

describe('countWords', () => {
  const entry = (text: string, hidden = false) => ({ key: wordKey(text), text, hidden });

  it('counts the same word typed five ways once each, shown in its most common form', () => {
    const words = countWords(['Fast', 'fast!', 'ＦＡＳＴ', 'fast', 'fast.', '速い', '速い。', 'async'].map((text) => entry(text)));
    expect(words).toEqual([
      { key: 'fast', text: 'fast', count: 5 },
      { key: '速い', text: '速い', count: 2 },
      { key: 'async', text: 'async', count: 1 },
    ]);
  });

  it('breaks ties between forms and between words by first appearance', () => {
    expect(countWords(['Fast', 'fast', 'V8', 'v8'].map((text) => entry(text)))).toEqual([
      { key: 'fast', text: 'Fast', count: 2 },
      { key: 'v8', text: 'V8', count: 2 },
    ]);
  });

  it('leaves out hidden entries and hidden words', () => {
    const entries = [entry('fast'), entry('slow', true), entry('rude'), entry('Rude!'), entry('slow')];
    expect(countWords(entries, new Set(['rude']))).toEqual([
      { key: 'fast', text: 'fast', count: 1 },
      { key: 'slow', text: 'slow', count: 1 },
    ]);
  });
});
