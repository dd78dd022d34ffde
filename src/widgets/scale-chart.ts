/**
 * A scale (`data-widget="scale"`): one column per value, as tall as its
 * share of the ratings, with the labels of both ends and the mean. Phones
 * rate by tapping a value; the console adds the presenter's controls.
 */
import { el } from '../lib/dom';
import type { RequestError } from '../lib/request';
import { formatNumber, t } from '../i18n/i18n';
import { voteOptions, type ScalePollDefinition } from '../shared/poll-definitions';
import type { PollView } from '../shared/protocol';
import { noticeLine, PollControls, type PollActions } from './poll-controls';

export interface ScaleChartOptions {
  /** Phones: tapping a value rates (its position from data-min). */
  vote?: (option: number) => Promise<RequestError | null>;
  controls?: PollActions;
}

interface Column {
  item: HTMLElement;
  target: HTMLElement;
  count: HTMLElement;
  fill: HTMLElement;
}

export class ScaleChart {
  readonly element: HTMLElement;
  private readonly columns: Column[];
  private readonly total = el('p', { className: 'poll-total' });
  private readonly notice = noticeLine();
  private readonly controls: PollControls | undefined;

  constructor(
    private readonly definition: ScalePollDefinition,
    options: ScaleChartOptions = {},
  ) {
    const values = voteOptions(definition);
    this.columns = values.map((value, index) => {
      const count = el('span', { className: 'scale-count' });
      const fill = el('span', { className: 'scale-fill' });
      // The count sits above the button, not in it: a button's name must hold all its visible text (WCAG 2.5.3).
      const parts = [el('span', { className: 'scale-bar' }, [fill]), el('span', { className: 'scale-number', text: value })];
      const target = options.vote
        ? el('button', { className: 'scale-choice', attrs: { type: 'button', 'data-option': String(index), 'aria-label': t('scale.rate', { value }) } }, parts)
        : el('div', { className: 'scale-choice', attrs: { 'data-option': String(index) } }, parts);
      if (options.vote) target.addEventListener('click', async () => this.notice.show(await options.vote!(index)));
      return { item: el('li', { className: 'scale-value' }, [count, target]), target, count, fill };
    });
    const ends = el('div', { className: 'scale-ends', attrs: { 'aria-hidden': 'true' } }, [
      el('span', { className: 'scale-end', text: definition.minLabel }),
      el('span', { className: 'scale-end', text: definition.maxLabel }),
    ]);
    const list = el(
      'ol',
      { className: 'scale-values', attrs: { style: `--values: ${values.length}` } },
      this.columns.map((column) => column.item),
    );
    if (definition.minLabel || definition.maxLabel) {
      list.setAttribute('aria-description', `${definition.min}: ${definition.minLabel} · ${definition.max}: ${definition.maxLabel}`);
    }
    const children: Node[] = [el('p', { className: 'poll-question', text: definition.question }), list];
    if (definition.minLabel || definition.maxLabel) children.push(ends);
    children.push(this.total, this.notice.element);
    if (options.controls) {
      this.controls = new PollControls(options.controls, this.notice.show);
      children.push(this.controls.element);
    }
    this.element = el('div', { className: 'scale', attrs: { 'data-scale-chart': definition.id } }, children);
    this.update(undefined);
  }

  update(view: PollView | undefined): void {
    const counts = this.columns.map((_, index) => view?.counts[index] ?? 0);
    const total = counts.reduce((sum, count) => sum + count, 0);
    const highest = Math.max(1, ...counts);
    const closed = view?.closed ?? false;
    this.columns.forEach((column, index) => {
      const count = counts[index]!;
      column.count.textContent = formatNumber(count);
      column.fill.style.height = `${(count / highest) * 100}%`;
      const mine = view?.mine === index;
      column.item.classList.toggle('is-mine', mine);
      if (column.target instanceof HTMLButtonElement) {
        column.target.setAttribute('aria-pressed', String(mine));
        column.target.disabled = closed;
      }
    });
    const sum = counts.reduce((acc, count, index) => acc + count * (this.definition.min + index), 0);
    const parts = [t('scale.ratings', { count: total })];
    if (total > 0) parts.push(t('scale.mean', { mean: formatNumber(sum / total, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) }));
    if (closed) parts.push(t('poll.closed'));
    this.total.textContent = parts.join(' · ');
    this.element.dataset.total = String(total);
    this.element.dataset.mean = total > 0 ? (sum / total).toFixed(1) : '';
    this.element.classList.toggle('is-closed', closed);
    this.controls?.update(closed);
  }
}
