/**
 * A word cloud widget (`data-widget="words"`) on each surface: the cloud
 * itself (projector, console previews, a phone's slide), the form a phone
 * sends words with (its slide and live card), and in the console the list
 * of words with Remove / Bring back and the poll's controls.
 */
import { el } from '../lib/dom';
import { t } from '../i18n/i18n';
import { WORD_TEXT_MAX } from '../shared/limits';
import type { WordsPollDefinition } from '../shared/poll-definitions';
import type { CloudView, CloudWord } from '../shared/protocol';
import { EntryForm } from './entry-form';
import { noticeLine, PollControls } from './poll-controls';
import type { PollStore } from './poll-store';
import { CloudCanvas, type CloudSizes } from './word-cloud';

export interface WordsWidgetOptions {
  /** Draw the cloud, at these sizes. */
  cloud?: CloudSizes;
  /** A phone can send words. */
  form?: boolean;
  /** The console: words with Remove / Bring back, and Reset / Close. */
  moderation?: boolean;
}

let forms = 0;

export class WordsWidget {
  readonly element: HTMLElement;
  private readonly canvas: CloudCanvas | undefined;
  private readonly total = el('p', { className: 'poll-total' });
  private readonly form: EntryForm | undefined;
  private readonly moderation: { list: HTMLElement; removed: HTMLElement; controls: PollControls } | undefined;
  private readonly notice = noticeLine();

  constructor(
    private readonly definition: WordsPollDefinition,
    private readonly store: PollStore,
    options: WordsWidgetOptions,
  ) {
    const children: Node[] = [el('p', { className: 'poll-question', text: definition.question })];
    if (options.cloud) {
      this.canvas = new CloudCanvas(options.cloud);
      children.push(this.canvas.element);
    }
    if (options.cloud || options.moderation) children.push(this.total);
    if (options.form) {
      this.form = new EntryForm({
        id: `words-${definition.id}-${++forms}`,
        label: t('words.label'),
        placeholder: t('words.placeholder'),
        send: t('words.send'),
        maxLength: WORD_TEXT_MAX,
        multiline: false,
        submit: (text) => store.sendWord(definition.id, text),
      });
      children.push(this.form.element);
    }
    if (options.moderation) {
      const controls = new PollControls({ reset: () => store.reset(definition.id), close: (closed) => store.close(definition.id, closed) }, this.notice.show);
      this.moderation = { list: el('ul', { className: 'word-moderation' }), removed: el('ul', { className: 'word-moderation is-removed' }), controls };
      children.push(this.moderation.list, this.moderation.removed, this.notice.element, controls.element);
    }
    this.element = el('div', { className: 'words', attrs: { 'data-words': definition.id } }, children);
    this.update();
  }

  update(): void {
    const view: CloudView = this.store.cloud(this.definition.id) ?? { poll: this.definition.id, words: [], total: 0, entries: 0, closed: false, mine: [] };
    const mine = new Set(view.mine.map((word) => word.key));
    this.canvas?.update(view.words, mine);
    this.total.textContent = (view.total > 0 ? t('words.count', { count: view.total }) : t('words.empty')) + (view.closed ? ` · ${t('words.closed')}` : '');
    this.element.dataset.total = String(view.total);
    this.element.classList.toggle('is-closed', view.closed);
    if (this.form) {
      const left = this.definition.max - view.mine.length;
      const sent = view.mine.length ? t('words.mine', { words: view.mine.map((word) => word.text).join(', ') }) : '';
      const status = view.closed ? t('words.closed') : left > 0 ? t('words.left', { count: left }) : t('words.done');
      this.form.set(!view.closed && left > 0, [sent, status].filter(Boolean).join(' · '));
    }
    if (this.moderation) this.renderModeration(view);
  }

  private renderModeration(view: CloudView): void {
    const { list, removed, controls } = this.moderation!;
    const row = (word: CloudWord, hidden: boolean) => {
      const button = el('button', {
        className: 'poll-control',
        text: hidden ? t('words.restore') : t('words.remove'),
        attrs: { type: 'button', 'data-action': hidden ? 'restore' : 'remove' },
      });
      button.addEventListener('click', async () => this.notice.show(await this.store.hideWord(this.definition.id, word.key, !hidden)));
      return el('li', { attrs: { 'data-key': word.key } }, [
        el('span', { className: 'word-text', text: word.text }),
        el('span', { className: 'word-count', text: String(word.count) }),
        button,
      ]);
    };
    list.replaceChildren(...view.words.map((word) => row(word, false)));
    if (view.words.length === 0) list.append(el('li', { className: 'empty', text: t('words.none') }));
    const gone = view.removed ?? [];
    removed.replaceChildren(
      ...(gone.length ? [el('li', { className: 'word-moderation-title', text: t('words.removed') })] : []),
      ...gone.map((word) => row(word, true)),
    );
    controls.update(view.closed);
  }
}
