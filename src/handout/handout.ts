/**
 * The take-away on the phone (the join URL once the talk has ended, and
 * /handout/:id from /series): the talk's slides to page through, its links,
 * the room's questions with the reader's own marked, and the polls' results.
 */
import './handout.css';
import { formatDateLong, formatNumber, formatPercent, t } from '../i18n/i18n';
import { clientId } from '../lib/client-id';
import { $, el } from '../lib/dom';
import { followLiveTalk } from '../lib/live-talk';
import { connect } from '../lib/socket';
import type { Handout, HandoutPoll, HandoutQuestion } from '../shared/protocol';
import { HandoutSlides } from './handout-slides';

/** Sent so the server can mark this person's own questions and votes; it is never echoed back. */
const CLIENT_HEADER = 'X-Livedeck-Client';

export async function showHandout(body: HTMLElement): Promise<void> {
  const sessionId = Number(body.dataset.session);
  const status = $('.status');
  status.textContent = t('handout.status');
  const main = el('main', { className: 'handout', attrs: { 'aria-label': t('handout.label') } });
  $('.stage').replaceWith(main);
  const response = await fetch(`/api/handout/${sessionId}`, { headers: { [CLIENT_HEADER]: clientId() } });
  if (!response.ok) {
    main.append(
      el('section', { className: 'handout-intro' }, [
        el('h2', { text: t('handout.none-title') }),
        el('p', { text: t('handout.none') }, [el('a', { text: t('handout.all-talks-link'), attrs: { href: '/series' } })]),
      ]),
    );
    return;
  }
  const handout = (await response.json()) as Handout;
  document.title = t('handout.page-title', { talk: handout.talk.title });
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
  if (handout.deck) sections.push(['handout-slides', t('handout.slides'), slidesSection(handout.deck)]);
  if (handout.links.length) sections.push(['handout-links', t('handout.links'), linksSection(handout)]);
  sections.push(['handout-questions', t('handout.questions'), questionsSection(handout.questions)]);
  if (handout.polls.length) sections.push(['handout-polls', t('handout.polls'), pollsSection(handout.polls)]);

  const byline = [handout.talk.author, formatDateLong(handout.startedAt)].filter(Boolean).join(' · ');
  const intro = el('section', { className: 'handout-intro' }, [
    el('p', { className: 'handout-byline', text: byline }),
    el('p', {
      text: t(handout.current ? 'handout.ended' : 'handout.intro'),
    }),
    el('nav', { className: 'handout-nav', attrs: { 'aria-label': t('handout.on-this-page') } }, [
      ...sections.map(([id, label]) => el('a', { text: label, attrs: { href: `#${id}` } })),
      el('a', { text: t('handout.all-talks'), attrs: { href: '/series' } }),
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
  const section = el('section', { attrs: { 'aria-label': t('handout.slides') } });
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
    section.append(el('p', { className: 'handout-empty', text: t('handout.no-questions') }));
    return section;
  }
  const answered = questions.filter((question) => question.answered).length;
  section.append(el('p', { className: 'handout-summary', text: t('handout.summary', { count: questions.length, answered }) }));
  const list = el(
    'ol',
    { className: 'handout-questions' },
    questions.map((question) => {
      const badges = [
        el('span', {
          className: `handout-badge ${question.answered ? 'is-answered' : 'is-open'}`,
          text: t(question.answered ? 'handout.answered' : 'handout.not-answered'),
        }),
      ];
      if (question.mine) badges.push(el('span', { className: 'handout-badge is-mine', text: t('handout.yours') }));
      if (question.voted) badges.push(el('span', { className: 'handout-badge is-voted', text: t('handout.you-voted') }));
      return el('li', { className: ['handout-question', question.mine ? 'is-mine' : '', question.voted ? 'is-voted' : ''].filter(Boolean).join(' ') }, [
        el('span', { className: 'handout-votes', attrs: { 'aria-label': t('handout.votes', { count: question.votes }) } }, [
          el('strong', { text: formatNumber(question.votes) }),
          el('small', { text: t('handout.votes-unit', { count: question.votes }), attrs: { 'aria-hidden': 'true' } }),
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
        el('figcaption', {}, [el('strong', { text: poll.question }), el('span', { text: ` · ${t('handout.votes', { count: poll.total })}` })]),
        el(
          'ul',
          {},
          poll.options.map((option) => {
            const share = poll.total ? Math.round((option.votes / poll.total) * 100) : 0;
            const bar = el('span', { className: 'handout-bar', attrs: { 'aria-hidden': 'true' } });
            bar.style.setProperty('--share', `${share}%`);
            return el('li', { className: option.votes === top && top > 0 ? 'is-top' : '' }, [
              el('span', { className: 'handout-option', text: option.label }),
              el('span', { className: 'handout-share', text: t('handout.share', { percent: formatPercent(share / 100), count: option.votes }) }),
              bar,
            ]);
          }),
        ),
      ]);
    }),
  );
}
