/**
 * A choice poll as a bar chart: on the projector, in a phone's slide and in
 * its panel (where tapping an option votes), and in the console (with the
 * presenter's controls). Built once, then updated in place so focus and
 * taps survive.
 */
import { el } from '../lib/dom';
import type { RequestError } from '../lib/request';
import { formatPercent, t } from '../i18n/i18n';
import type { ChoicePollDefinition } from '../shared/poll-definitions';
import type { PollView } from '../shared/protocol';
import { noticeLine, PollControls, type PollActions } from './poll-controls';

export interface PollChartOptions {
  /** Phones: tapping an option votes for it. */
  vote?: (option: number) => Promise<RequestError | null>;
  /** The presenter's controls. */
  controls?: PollActions;
}

interface OptionRow {
  item: HTMLElement;
  target: HTMLElement;
  count: HTMLElement;
  fill: HTMLElement;
}

export class PollChart {
  readonly element: HTMLElement;
  private readonly rows: OptionRow[];
  private readonly total = el('p', { className: 'poll-total' });
  private readonly notice = noticeLine();
  private readonly controls: PollControls | undefined;

  constructor(
    private readonly definition: ChoicePollDefinition,
    options: PollChartOptions = {},
  ) {
    this.rows = definition.options.map((label, index) => {
      const count = el('span', { className: 'poll-count' });
      const fill = el('span', { className: 'poll-fill' });
      const parts = [el('span', { className: 'poll-label', text: label }), count, el('span', { className: 'poll-bar' }, [fill])];
      const target = options.vote
        ? el('button', { className: 'poll-choice', attrs: { type: 'button', 'data-option': String(index) } }, parts)
        : el('div', { className: 'poll-choice', attrs: { 'data-option': String(index) } }, parts);
      if (options.vote) target.addEventListener('click', async () => this.notice.show(await options.vote!(index)));
      return { item: el('li', { className: 'poll-option' }, [target]), target, count, fill };
    });
    const children: Node[] = [
      el('p', { className: 'poll-question', text: definition.question }),
      el(
        'ol',
        { className: 'poll-options' },
        this.rows.map((row) => row.item),
      ),
      this.total,
      this.notice.element,
    ];
    if (options.controls) {
      this.controls = new PollControls(options.controls, this.notice.show);
      children.push(this.controls.element);
    }
    this.element = el('div', { className: 'poll', attrs: { 'data-poll-chart': definition.id } }, children);
    this.update(undefined);
  }

  update(view: PollView | undefined): void {
    const counts = this.definition.options.map((_, index) => view?.counts[index] ?? 0);
    const total = counts.reduce((sum, count) => sum + count, 0);
    const closed = view?.closed ?? false;
    this.rows.forEach((row, index) => {
      const count = counts[index]!;
      const share = total ? count / total : 0;
      row.count.textContent = t('poll.count', { count, percent: formatPercent(share) });
      row.fill.style.width = `${share * 100}%`;
      const mine = view?.mine === index;
      row.item.classList.toggle('is-mine', mine);
      if (row.target instanceof HTMLButtonElement) {
        row.target.setAttribute('aria-pressed', String(mine));
        row.target.disabled = closed;
      }
    });
    this.element.dataset.total = String(total);
    this.element.classList.toggle('is-closed', closed);
    this.total.textContent = t('poll.votes', { count: total }) + (closed ? ` · ${t('poll.closed')}` : '');
    this.controls?.update(closed);
  }
}
