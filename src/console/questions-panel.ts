/**
 * The live Q&A for the presenter: every question sorted as the phones see
 * them, hidden ones greyed at the end, with answer / spotlight / hide / ban,
 * and "asked on slide N" that takes the deck there. Past time it proposes
 * the top-voted open question for the spotlight.
 */
import { formatNumber, t } from '../i18n/i18n';
import { el } from '../lib/dom';
import type { QuestionView, SlideOutline, UnusualVotes } from '../shared/protocol';
import { compareQuestions, topOpenQuestion } from '../shared/room-view';
import type { ConsoleState } from './console-store';
import { ConfirmingButtons } from './confirming-button';
import type { Send } from './send';

/** Shares, never addresses: the presenter decides whether a network is a script or a table of friends. */
function unusualText(target: UnusualVotes): string {
  return t('questions.unusual', { share: target.fromOneAddress, total: target.total, addresses: target.addresses });
}

export interface QuestionsPanelOptions {
  send: Send;
  outline: SlideOutline[][];
  jump: (position: { h: number; v: number }) => void;
  /** Brings the next page of questions (a join carries 200). */
  loadMore: () => Promise<void>;
}

export class QuestionsPanel {
  private state: ConsoleState | null = null;
  /** A ban removes a person's messages and questions: the button asks once more. */
  private readonly bans = new ConfirmingButtons(() => {
    if (this.state) this.render(this.state);
  });
  private readonly slideNumbers = new Map<string, number>();

  private readonly heading = el('h2', { className: 'panel-title' });
  private readonly reviewToggle = el('button', {
    className: 'small review-toggle',
    text: t('questions.review'),
    attrs: { type: 'button', title: t('questions.review-title') },
  });
  private readonly proposal = el('div', { className: 'qa-proposal', attrs: { 'aria-live': 'polite', hidden: '' } });
  private readonly list = el('ol', { className: 'console-questions' });
  private readonly unusualPolls = el('div', { className: 'unusual-votes', attrs: { hidden: '' } });

  constructor(
    root: HTMLElement,
    private readonly options: QuestionsPanelOptions,
  ) {
    let number = 0;
    options.outline.forEach((stack, h) => stack.forEach((_slide, v) => this.slideNumbers.set(`${h}/${v}`, ++number)));
    this.reviewToggle.addEventListener('click', () => void options.send('moderation:review', { review: !this.state?.review }));
    root.replaceChildren(el('div', { className: 'panel-head' }, [this.heading, this.reviewToggle]), this.unusualPolls, this.proposal, this.list);
  }

  render(state: ConsoleState): void {
    this.state = state;
    const questions = [...state.room.questions.values()];
    // Waiting for approval first (oldest first: first come, first reviewed), then the room's, then the hidden ones.
    const pending = questions.filter((question) => question.pending).sort((a, b) => a.id - b.id);
    const shown = questions.filter((question) => !question.hidden && !question.pending).sort(compareQuestions);
    const hidden = questions.filter((question) => question.hidden && !question.pending).sort(compareQuestions);
    const open = shown.filter((question) => !question.answered).length;
    this.heading.textContent = [
      t('questions.heading', { count: open }),
      pending.length ? t('questions.heading-review', { count: pending.length }) : '',
      hidden.length ? t('questions.heading-hidden', { count: hidden.length }) : '',
    ].join('');
    this.reviewToggle.setAttribute('aria-pressed', String(state.review));
    this.reviewToggle.textContent = t(state.review ? 'questions.reviewing' : 'questions.review');
    this.renderProposal(state);
    const polls = state.unusualVotes.filter((target) => target.kind === 'poll');
    this.unusualPolls.hidden = polls.length === 0;
    this.unusualPolls.replaceChildren(...polls.map((target) => el('p', { text: t('questions.unusual-poll', { id: target.id, text: unusualText(target) }) })));
    this.list.replaceChildren(...[...pending, ...shown, ...hidden].map((question) => this.item(question, state.room.spotlight)));
    const notShown = state.questionsTotal - questions.length;
    if (notShown > 0) {
      const more = el('button', { className: 'small more-questions', text: t('questions.more', { count: notShown }), attrs: { type: 'button' } });
      more.addEventListener('click', () => {
        more.disabled = true;
        void this.options.loadMore().finally(() => (more.disabled = false));
      });
      this.list.append(el('li', { className: 'more' }, [more]));
    }
    if (questions.length === 0) {
      this.list.append(
        el('li', {
          className: 'empty',
          text: t(state.review ? 'questions.empty-review' : 'questions.empty'),
        }),
      );
    }
  }

  /** Past time, the question the room wants most is one click from the stage. */
  private renderProposal(state: ConsoleState): void {
    const timeUp = state.phase === 'overtime' || state.phase === 'qa';
    this.proposal.hidden = !timeUp;
    if (!timeUp) return;
    const top = topOpenQuestion(state.room);
    const title = el('p', { className: 'qa-phase', text: t(state.phase === 'qa' ? 'questions.qa-time' : 'questions.times-up') });
    if (!top) {
      this.proposal.replaceChildren(title, el('p', { className: 'qa-empty', text: t('questions.no-open') }));
      return;
    }
    const onStage = state.room.spotlight === top.id;
    const button = el('button', {
      className: 'qa-spotlight',
      text: t(onStage ? 'questions.on-stage-done' : 'questions.spotlight-it'),
      attrs: { type: 'button', 'aria-pressed': String(onStage) },
    });
    button.addEventListener('click', () => void this.options.send('question:spotlight', { id: onStage ? null : top.id }));
    this.proposal.replaceChildren(
      title,
      el('p', { className: 'qa-top' }, [el('span', { className: 'votes', text: `▲ ${formatNumber(top.votes)}` }), el('span', { text: top.text })]),
      button,
    );
  }

  private item(question: QuestionView, spotlight: number | null): HTMLLIElement {
    const { send } = this.options;
    const lit = spotlight === question.id;
    const number = this.slideNumbers.get(`${question.slide.h}/${question.slide.v}`);
    const title = this.options.outline[question.slide.h]?.[question.slide.v]?.title;
    const jump = el('button', {
      className: 'link jump',
      text: number === undefined ? t('questions.asked-before') : `${t('questions.asked-on', { number })}${title ? ` · ${title}` : ''}`,
      attrs: { type: 'button', title: t('questions.jump-title') },
    });
    jump.disabled = number === undefined;
    jump.addEventListener('click', () => this.options.jump(question.slide));

    const action = (label: string, pressed: boolean | null, run: () => void, className = '') => {
      const button = el('button', { className: `small ${className}`.trim(), text: label, attrs: { type: 'button' } });
      if (pressed !== null) button.setAttribute('aria-pressed', String(pressed));
      button.addEventListener('click', run);
      return button;
    };
    const ban = this.bans.button(question.authorId, t('questions.ban'), t('questions.ban-confirm'), () => {
      void send('client:ban', { authorId: question.authorId });
    });
    const actions = question.pending
      ? el('div', { className: 'actions' }, [
          action(t('questions.approve'), null, () => void send('question:review', { id: question.id, approve: true }), 'approve'),
          action(t('questions.refuse'), null, () => void send('question:review', { id: question.id, approve: false }), 'refuse'),
          ban,
        ])
      : this.moderation(question, lit, action, ban);

    const classes = [
      'question',
      question.answered ? 'is-answered' : '',
      question.hidden ? 'is-hidden' : '',
      question.pending ? 'is-pending' : '',
      lit ? 'is-lit' : '',
    ];
    const unusual = this.state?.unusualVotes.find((target) => target.kind === 'question' && target.id === String(question.id));
    return el('li', { className: classes.filter(Boolean).join(' '), attrs: { 'data-id': String(question.id) } }, [
      el('span', { className: 'votes', text: `▲ ${formatNumber(question.votes)}` }),
      el('div', { className: 'body' }, [
        el('p', { className: 'text', text: question.text }),
        ...(unusual ? [el('p', { className: 'unusual-votes', text: unusualText(unusual) })] : []),
        el('p', { className: 'meta' }, [
          el('span', { className: 'who', text: question.name }),
          ...(question.hidden ? [el('span', { className: 'state', text: t('questions.hidden') })] : []),
          ...(question.pending ? [el('span', { className: 'state', text: t('questions.waiting') })] : []),
          jump,
        ]),
        actions,
      ]),
    ]);
  }

  private moderation(
    question: QuestionView,
    lit: boolean,
    action: (label: string, pressed: boolean | null, run: () => void, className?: string) => HTMLButtonElement,
    ban: HTMLButtonElement,
  ): HTMLElement {
    const { send } = this.options;
    const actions = el('div', { className: 'actions' }, [
      action(
        t(question.answered ? 'questions.answered' : 'questions.answer'),
        question.answered,
        () => void send('question:answer', { id: question.id, answered: !question.answered }),
      ),
      action(t(lit ? 'questions.on-stage' : 'questions.spotlight'), lit, () => void send('question:spotlight', { id: lit ? null : question.id })),
      action(
        t(question.hidden ? 'questions.unhide' : 'questions.hide'),
        question.hidden,
        () => void send('question:hide', { id: question.id, hidden: !question.hidden }),
      ),
      ban,
    ]);
    // Spotlight is for questions the room can see.
    (actions.children[1] as HTMLButtonElement).disabled = question.hidden;
    return actions;
  }
}
