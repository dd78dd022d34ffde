/**
 * The take-away on the phone (the join URL once the talk has ended, and
 * /handout/:id from /series): the talk's slides to page through, its links,
 * the room's questions with the reader's own marked, and the polls' results.
 */
import './handout.css';
import { clientId } from '../lib/client-id';
import { $, el } from '../lib/dom';
import { followLiveTalk } from '../lib/live-talk';
import { connect } from '../lib/socket';
import type { Handout, HandoutPoll, HandoutQuestion } from '../shared/protocol';
import { HandoutSlides } from './handout-slides';

/** Sent so the server can mark this person's own questions and votes; it is never echoed back. */
const CLIENT_HEADER = 'X-Livedeck-Client';

const longDate = (ms: number) => new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export async function showHandout(body: HTMLElement): Promise<void> {
  const sessionId = Number(body.dataset.session);
  const status = $('.status');
  status.textContent = 'handout';
  const main = el('main', { className: 'handout', attrs: { 'aria-label': 'Handout' } });
  $('.stage').replaceWith(main);
  const response = await fetch(`/api/handout/${sessionId}`, { headers: { [CLIENT_HEADER]: clientId() } });
  if (!response.ok) {
    main.append(
      el('section', { className: 'handout-intro' }, [
        el('h2', { text: 'No handout here' }),
        el('p', { text: 'This talk has no handout (yet). ' }, [el('a', { text: 'See every talk of the series', attrs: { href: '/series' } })]),
      ]),
    );
    return;
  }
  const handout = (await response.json()) as Handout;
  document.title = `${handout.talk.title} · handout`;
  $('.talk-title').textContent = handout.talk.title;
  renderHandout(main, handout);
  // At the join URL, the handout gives way to the next session as soon as it starts.
  if (body.hasAttribute('data-follow')) {
    const socket = connect(() => ({ role: 'audience', clientId: clientId() }));
    followLiveTalk(socket, { talkId: handout.talk.id, ended: true });
  }
}

function renderHandout(main: HTMLElement, handout: Handout): void {
  const sections: Array<[id: string, label: string, section: HTMLElement]> = [];
  if (handout.deck) sections.push(['handout-slides', 'Slides', slidesSection(handout.deck)]);
  if (handout.links.length) sections.push(['handout-links', 'Links', linksSection(handout)]);
  sections.push(['handout-questions', 'Questions', questionsSection(handout.questions)]);
  if (handout.polls.length) sections.push(['handout-polls', 'Polls', pollsSection(handout.polls)]);

  const byline = [handout.talk.author, longDate(handout.startedAt)].filter(Boolean).join(' · ');
  const intro = el('section', { className: 'handout-intro' }, [
    el('p', { className: 'handout-byline', text: byline }),
    el('p', {
      text: handout.current
        ? 'The talk has ended. This page is yours to keep: every slide, the links and the room’s questions.'
        : 'Every slide of the talk, its links and the room’s questions.',
    }),
    el('nav', { className: 'handout-nav', attrs: { 'aria-label': 'On this page' } }, [
      ...sections.map(([id, label]) => el('a', { text: label, attrs: { href: `#${id}` } })),
      el('a', { text: 'All talks', attrs: { href: '/series' } }),
    ]),
  ]);
  main.append(intro);
  for (const [id, label, section] of sections) {
    section.id = id;
    section.classList.add('handout-section');
    section.prepend(el('h2', { text: label }));
    main.append(section);
  }
}

function slidesSection(deck: NonNullable<Handout['deck']>): HTMLElement {
  const section = el('section', { attrs: { 'aria-label': 'Slides' } });
  new HandoutSlides(section, deck);
  return section;
}

function linksSection(handout: Handout): HTMLElement {
  const list = el(
    'ul',
    { className: 'handout-links' },
    handout.links.map((link) =>
      el('li', {}, [
        el('a', { text: link.text, attrs: { href: link.href, target: '_blank', rel: 'noopener noreferrer' } }),
        el('span', { className: 'handout-host', text: hostOf(link.href) }),
      ]),
    ),
  );
  return el('section', {}, [list]);
}

const hostOf = (href: string) => {
  try {
    return new URL(href).host;
  } catch {
    return '';
  }
};

function questionsSection(questions: readonly HandoutQuestion[]): HTMLElement {
  const section = el('section');
  if (!questions.length) {
    section.append(el('p', { className: 'handout-empty', text: 'No questions were asked.' }));
    return section;
  }
  const answered = questions.filter((question) => question.answered).length;
  section.append(el('p', { className: 'handout-summary', text: `${plural(questions.length, 'question')}, ${answered} answered. Yours are marked.` }));
  const list = el(
    'ol',
    { className: 'handout-questions' },
    questions.map((question) => {
      const badges = [
        el('span', { className: `handout-badge ${question.answered ? 'is-answered' : 'is-open'}`, text: question.answered ? 'Answered' : 'Not answered' }),
      ];
      if (question.mine) badges.push(el('span', { className: 'handout-badge is-mine', text: 'Yours' }));
      if (question.voted) badges.push(el('span', { className: 'handout-badge is-voted', text: 'You voted' }));
      return el('li', { className: ['handout-question', question.mine ? 'is-mine' : '', question.voted ? 'is-voted' : ''].filter(Boolean).join(' ') }, [
        el('span', { className: 'handout-votes', attrs: { 'aria-label': plural(question.votes, 'vote') } }, [
          el('strong', { text: String(question.votes) }),
          el('small', { text: question.votes === 1 ? 'vote' : 'votes', attrs: { 'aria-hidden': 'true' } }),
        ]),
        el('div', {}, [el('p', { className: 'handout-question-text', text: question.text }), el('p', { className: 'handout-badges' }, badges)]),
      ]);
    }),
  );
  section.append(list);
  return section;
}

function pollsSection(polls: readonly HandoutPoll[]): HTMLElement {
  return el(
    'section',
    {},
    polls.map((poll) => {
      const top = Math.max(...poll.options.map((option) => option.votes));
      return el('figure', { className: 'handout-poll' }, [
        el('figcaption', {}, [el('strong', { text: poll.question }), el('span', { text: ` · ${plural(poll.total, 'vote')}` })]),
        el(
          'ul',
          {},
          poll.options.map((option) => {
            const share = poll.total ? Math.round((option.votes / poll.total) * 100) : 0;
            const bar = el('span', { className: 'handout-bar', attrs: { 'aria-hidden': 'true' } });
            bar.style.setProperty('--share', `${share}%`);
            return el('li', { className: option.votes === top && top > 0 ? 'is-top' : '' }, [
              el('span', { className: 'handout-option', text: option.label }),
              el('span', { className: 'handout-share', text: `${share}% (${option.votes})` }),
              bar,
            ]);
          }),
        ),
      ]);
    }),
  );
}
