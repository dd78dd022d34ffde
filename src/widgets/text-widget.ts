/**
 * An open-text widget (`data-widget="text"`) on each surface. The room
 * (projector, previews) sees the question and how many answered, or the
 * answer or list the presenter shows; a phone writes its answers and sees
 * what the presenter shows; the console lists every answer with Show and
 * Hide, chooses what the projector shows, and has the poll's controls.
 */
import { el } from '../lib/dom';
import { formatTime, t } from '../i18n/i18n';
import { TEXT_ANSWER_MAX } from '../shared/limits';
import type { TextPollDefinition } from '../shared/poll-definitions';
import type { ShownAnswer, TextAnswer, TextView } from '../shared/protocol';
import { EntryForm } from './entry-form';
import { noticeLine, PollControls } from './poll-controls';
import type { PollStore } from './poll-store';

export type TextSurface = 'room' | 'phone' | 'card' | 'console';

/** The projector's list shows the newest answers that fit a slide. */
const ROOM_LIST = 5;

let forms = 0;

export class TextWidget {
  readonly element: HTMLElement;
  private readonly body = el('div', { className: 'answers-body' });
  private readonly form: EntryForm | undefined;
  private readonly notice = noticeLine();
  private readonly controls: PollControls | undefined;

  constructor(
    private readonly definition: TextPollDefinition,
    private readonly store: PollStore,
    private readonly surface: TextSurface,
  ) {
    const children: Node[] = [el('p', { className: 'poll-question', text: definition.question })];
    if (surface === 'phone' || surface === 'card') {
      this.form = new EntryForm({
        id: `answer-${definition.id}-${++forms}`,
        label: t('text.label'),
        placeholder: t('text.placeholder'),
        send: t('text.send'),
        maxLength: TEXT_ANSWER_MAX,
        multiline: true,
        submit: (text) => store.sendAnswer(definition.id, text),
      });
      children.push(this.form.element);
    }
    children.push(this.body);
    if (surface === 'console') {
      this.controls = new PollControls({ reset: () => store.reset(definition.id), close: (closed) => store.close(definition.id, closed) }, this.notice.show);
      children.push(this.notice.element, this.controls.element);
    }
    this.element = el('div', { className: `answers answers-${surface}`, attrs: { 'data-answers': definition.id } }, children);
    this.update();
  }

  private view(): TextView {
    return (
      this.store.text(this.definition.id) ?? { poll: this.definition.id, closed: false, show: { mode: 'none' }, count: 0, entries: 0, shown: [], mine: [] }
    );
  }

  update(): void {
    const view = this.view();
    this.element.dataset.mode = view.show.mode;
    this.element.dataset.count = String(view.count);
    this.element.classList.toggle('is-closed', view.closed);
    if (this.surface === 'room') this.renderRoom(view);
    else if (this.surface === 'console') this.renderConsole(view);
    else this.renderPhone(view);
  }

  private renderRoom(view: TextView): void {
    const count = el('p', { className: 'answers-count', text: t('text.count', { count: view.count }) });
    if (view.show.mode === 'one' && view.shown[0]) {
      this.body.replaceChildren(el('blockquote', { className: 'answer-shown', text: view.shown[0].text }), count);
    } else if (view.show.mode === 'list' && view.shown.length) {
      this.body.replaceChildren(
        el(
          'ul',
          { className: 'answer-list' },
          view.shown.slice(0, ROOM_LIST).map((answer) => el('li', { text: answer.text })),
        ),
        count,
      );
    } else {
      this.body.replaceChildren(count, el('p', { className: 'answers-hint caption', text: view.closed ? t('text.closed') : t('text.answer-on-phone') }));
    }
  }

  private renderPhone(view: TextView): void {
    const left = this.definition.max - view.mine.length;
    const status = view.closed ? t('text.closed') : left > 0 ? (view.mine.length ? t('text.left', { count: left }) : '') : t('text.thanks');
    this.form!.set(!view.closed && left > 0, status);
    const parts: Node[] = [];
    if (view.mine.length) {
      parts.push(
        el('p', { className: 'answers-heading', text: t('text.mine', { count: view.mine.length }) }),
        el(
          'ul',
          { className: 'answer-mine' },
          view.mine.map((answer) =>
            el('li', { className: answer.hidden ? 'is-hidden' : '' }, [
              el('span', { text: answer.text }),
              ...(answer.hidden ? [el('span', { className: 'answer-meta', text: ` (${t('text.hidden-mark')})` })] : []),
            ]),
          ),
        ),
      );
    }
    if (this.surface === 'phone' && view.shown.length) {
      parts.push(
        el('p', { className: 'answers-heading', text: t('text.on-screen') }),
        el(
          'ul',
          { className: 'answer-list' },
          view.shown.map((answer: ShownAnswer) => el('li', { text: answer.text })),
        ),
      );
    }
    this.body.replaceChildren(...parts);
  }

  private renderConsole(view: TextView): void {
    const { show } = view;
    const modes = el('div', { className: 'answer-modes' }, [
      this.modeButton(t('text.show-list'), show.mode === 'list', () => this.store.showAnswers(this.definition.id, { mode: 'list' }), 'list'),
      this.modeButton(t('text.show-none'), show.mode === 'none', () => this.store.showAnswers(this.definition.id, { mode: 'none' }), 'none'),
    ]);
    const answers = [...(view.answers ?? [])].reverse();
    const list = el(
      'ol',
      { className: 'answer-moderation' },
      answers.map((answer) => this.consoleRow(answer, show.mode === 'one' && show.id === answer.id)),
    );
    if (answers.length === 0) list.append(el('li', { className: 'empty', text: t('text.none') }));
    this.body.replaceChildren(el('p', { className: 'answers-count', text: t('text.count', { count: view.count }) }), modes, list);
    this.controls!.update(view.closed);
  }

  private modeButton(label: string, active: boolean, run: () => ReturnType<PollStore['showAnswers']>, mode: string): HTMLButtonElement {
    const button = el('button', { className: 'poll-control', text: label, attrs: { type: 'button', 'data-show': mode, 'aria-pressed': String(active) } });
    button.addEventListener('click', async () => this.notice.show(await run()));
    return button;
  }

  private consoleRow(answer: TextAnswer, onScreen: boolean): HTMLElement {
    const show = el('button', {
      className: 'poll-control',
      text: onScreen ? t('text.showing') : t('text.show-one'),
      attrs: { type: 'button', 'data-action': 'show', 'aria-pressed': String(onScreen) },
    });
    show.disabled = answer.hidden;
    show.addEventListener('click', async () =>
      this.notice.show(await this.store.showAnswers(this.definition.id, onScreen ? { mode: 'none' } : { mode: 'one', id: answer.id })),
    );
    const hide = el('button', {
      className: 'poll-control',
      text: answer.hidden ? t('text.unhide') : t('text.hide'),
      attrs: { type: 'button', 'data-action': answer.hidden ? 'unhide' : 'hide' },
    });
    hide.addEventListener('click', async () => this.notice.show(await this.store.hideAnswer(this.definition.id, answer.id, !answer.hidden)));
    return el('li', { className: answer.hidden ? 'is-hidden' : onScreen ? 'is-shown' : '', attrs: { 'data-answer': String(answer.id) } }, [
      el('p', { className: 'answer-text', text: answer.text }),
      el('p', { className: 'answer-meta', text: `${answer.name} · ${formatTime(answer.ts)}` }),
      el('div', { className: 'answer-actions' }, [show, hide]),
    ]);
  }
}
