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
        id: 'used-node',
        question: 'Have you used Node.js?',
        options: ['Yes, in production', 'Yes, for side projects', 'Not yet'],
        slide: { h: 3, v: 0 },
      },
    ]);
    expect([...widgets.raceSlides]).toEqual(['8/0']);
  });

  it('decodes attribute entities as the browser will, and finds widgets on vertical slides', () => {
    const widgets = widgetsOf(
      '# A\n\n--\n\n## B\n\n<div data-widget="poll" data-poll="q1" data-question="Tom &amp; Jerry?" data-options="&quot;Yes&quot;|No &#x2714;"></div>\n\n<div data-widget="race"></div>',
    );
    expect(widgets.polls.get('q1')).toEqual({ id: 'q1', question: 'Tom & Jerry?', options: ['"Yes"', 'No ✔'], slide: { h: 0, v: 1 } });
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
  ])('refuses a malformed poll at load: %s', (markdown, message) => {
    expect(() => widgetsOf(`# A\n\n${markdown}`)).toThrow(TalkLoadError);
    expect(() => widgetsOf(`# A\n\n${markdown}`)).toThrow(message);
  });
});
