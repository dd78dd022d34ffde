import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../options.js';
import { loadTalkFile, parseTalk, TalkLoadError } from './load-talk.js';
import { talkWidgets } from './widgets.js';

const widgetsOf = (source: string) => talkWidgets(parseTalk(source, { id: 'demo', projectRoot: PROJECT_ROOT }));

describe('talkWidgets', () => {
  it('reads the polls and the race of the real talk', () => {
    const widgets = talkWidgets(loadTalkFile(path.join(PROJECT_ROOT, 'slides', 'nodejs-websockets.md'), PROJECT_ROOT));
    expect([...widgets.polls.values()]).toEqual([
      {
        kind: 'poll',
        id: 'used-node',
        question: 'Have you used Node.js?',
        options: ['Yes, in production', 'Yes, for side projects', 'Not yet'],
        slide: { h: 3, v: 0 },
      },
      { kind: 'words', id: 'node-word', question: 'One word for Node.js?', max: 3, slide: { h: 5, v: 0 } },
    ]);
    expect([...widgets.raceSlides]).toEqual(['9/0']);
  });

  it('reads every kind of poll of the example talk', () => {
    const widgets = talkWidgets(loadTalkFile(path.join(PROJECT_ROOT, 'slides', 'widgets-tour.md'), PROJECT_ROOT));
    expect([...widgets.polls.values()].map(({ kind, id }) => [kind, id])).toEqual([
      ['poll', 'tour-language'],
      ['scale', 'tour-websockets'],
      ['words', 'tour-word'],
      ['text', 'tour-next-talk'],
    ]);
    expect(widgets.polls.get('tour-websockets')).toMatchObject({ min: 1, max: 5, minLabel: 'Not at all', maxLabel: 'I could teach it' });
    expect(widgets.raceSlides.size).toBe(1);
  });

  it('fills in the defaults: a 1–5 scale without labels, three words, one answer', () => {
    const widgets = widgetsOf(
      '# A\n\n<div data-widget="scale" data-poll="s" data-question="Rate?"></div>\n\n<div data-widget="words" data-poll="w" data-question="Word?"></div>\n\n<div data-widget="text" data-poll="t" data-question="Say?"></div>',
    );
    expect(widgets.polls.get('s')).toEqual({ kind: 'scale', id: 's', question: 'Rate?', min: 1, max: 5, minLabel: '', maxLabel: '', slide: { h: 0, v: 0 } });
    expect(widgets.polls.get('w')).toMatchObject({ kind: 'words', max: 3 });
    expect(widgets.polls.get('t')).toMatchObject({ kind: 'text', max: 1 });
  });

  it('decodes attribute entities as the browser will, and finds widgets on vertical slides', () => {
    const widgets = widgetsOf(
      '# A\n\n--\n\n## B\n\n<div data-widget="poll" data-poll="q1" data-question="Tom &amp; Jerry?" data-options="&quot;Yes&quot;|No &#x2714;"></div>\n\n<div data-widget="race"></div>',
    );
    expect(widgets.polls.get('q1')).toEqual({ kind: 'poll', id: 'q1', question: 'Tom & Jerry?', options: ['"Yes"', 'No ✔'], slide: { h: 0, v: 1 } });
    expect(widgets.raceSlides.has('0/1')).toBe(true);
  });

  it.each([
    ['<div data-widget="poll" data-question="Q?" data-options="a|b"></div>', /data-poll/],
    ['<div data-widget="poll" data-poll="Bad Id" data-question="Q?" data-options="a|b"></div>', /data-poll/],
    ['<div data-widget="poll" data-poll="p" data-options="a|b"></div>', /data-question/],
    ['<div data-widget="poll" data-poll="p" data-question="Q?" data-options="only one"></div>', /data-options/],
    ['<div data-widget="poll" data-poll="p" data-question="Q?" data-options="a||b"></div>', /data-options/],
    [`<div data-widget="poll" data-poll="p" data-question="Q?" data-options="${'x|'.repeat(8)}y"></div>`, /data-options/],
    [
      '<div data-widget="poll" data-poll="p" data-question="Q?" data-options="a|b"></div>\n\n---\n\n<div data-widget="poll" data-poll="p" data-question="R?" data-options="c|d"></div>',
      /two polls/,
    ],
    [
      '<div data-widget="poll" data-poll="p" data-question="Q?" data-options="a|b"></div>\n\n---\n\n<div data-widget="words" data-poll="p" data-question="W?"></div>',
      /slide 2: two polls are called "p" \(the other is on slide 1\)/,
    ],
    ['<div data-widget="scale" data-poll="s" data-question="Q?" data-min="5" data-max="5"></div>', /data-min < data-max/],
    ['<div data-widget="scale" data-poll="s" data-question="Q?" data-min="0" data-max="11"></div>', /data-max ≤ 10/],
    ['<div data-widget="scale" data-poll="s" data-question="Q?" data-min="one"></div>', /whole numbers/],
    [`<div data-widget="scale" data-poll="s" data-question="Q?" data-max-label="${'x'.repeat(41)}"></div>`, /up to 40 characters/],
    ['<div data-widget="words" data-poll="w" data-question="Q?" data-max="11"></div>', /data-max="1"–"10"/],
    ['<div data-widget="words" data-poll="w" data-question="Q?" data-max="0"></div>', /data-max/],
    ['<div data-widget="words" data-question="Q?"></div>', /a words widget needs data-poll/],
    ['<div data-widget="text" data-poll="t" data-question=""></div>', /"t" needs a data-question/],
    ['<div data-widget="text" data-poll="t" data-question="Q?" data-max="6"></div>', /data-max="1"–"5"/],
  ])('refuses a malformed poll at load, naming its slide: %s', (markdown, message) => {
    expect(() => widgetsOf(`# A\n\n${markdown}`)).toThrow(TalkLoadError);
    expect(() => widgetsOf(`# A\n\n${markdown}`)).toThrow(message);
    expect(() => widgetsOf(`# A\n\n${markdown}`)).toThrow(/^demo, slide \d/);
  });
});
