/**
 * A scale (`data-widget="scale"`): one column per value, as tall as its
 * share of the ratings, with the labels of both ends and the mean. Phones
 * rate by tapping a value; the console adds the presenter's controls. What
 * it shares with the choice poll is in vote-bars.ts.
 */
import { el } from '../lib/dom';
import { formatNumber, t } from '../i18n/i18n';
import { voteOptions, type ScalePollDefinition } from '../shared/poll-definitions';
import type { PollView } from '../shared/protocol';
import { VoteBars, type VoteBarsOptions } from './vote-bars';

/** `vote` gets the value's position from data-min. */
export type ScaleChartOptions = VoteBarsOptions;

export class ScaleChart {
  readonly element: HTMLElement;
  private readonly columns: VoteBars;

  constructor(
    private readonly definition: ScalePollDefinition,
    options: ScaleChartOptions = {},
  ) {
    this.columns = new VoteBars(options);
    const values = voteOptions(definition);
    for (const [index, value] of values.entries()) {
      const count = el('span', { className: 'scale-count' });
      const fill = el('span', { className: 'scale-fill' });
      // The count sits above the button, not in it: a button's name must hold all its visible text (WCAG 2.5.3).
      const parts = [el('span', { className: 'scale-bar' }, [fill]), el('span', { className: 'scale-number', text: value })];
      const target = this.columns.target('scale-choice', index, parts, t('scale.rate', { value }));
      this.columns.bars.push({ item: el('li', { className: 'scale-value' }, [count, target]), target, count, fill });
    }
    const list = el(
      'ol',
      { className: 'scale-values', attrs: { style: `--values: ${values.length}` } },
      this.columns.bars.map((column) => column.item),
    );
    const children: Node[] = [el('p', { className: 'poll-question', text: definition.question }), list];
    if (definition.minLabel || definition.maxLabel) {
      list.setAttribute('aria-description', `${definition.min}: ${definition.minLabel} · ${definition.max}: ${definition.maxLabel}`);
      children.push(
        el('div', { className: 'scale-ends', attrs: { 'aria-hidden': 'true' } }, [
          el('span', { className: 'scale-end', text: definition.minLabel }),
          el('span', { className: 'scale-end', text: definition.maxLabel }),
        ]),
      );
    }
    this.element = el('div', { className: 'scale', attrs: { 'data-scale-chart': definition.id } }, [...children, ...this.columns.footer()]);
    this.update(undefined);
  }

  update(view: PollView | undefined): void {
    const { counts, total, closed } = this.columns.update(this.element, view);
    const highest = Math.max(1, ...counts);
    this.columns.bars.forEach((column, index) => {
      const count = counts[index]!;
      column.count.textContent = formatNumber(count);
      column.fill.style.height = `${(count / highest) * 100}%`;
    });
    const sum = counts.reduce((acc, count, index) => acc + count * (this.definition.min + index), 0);
    const parts = [t('scale.ratings', { count: total })];
    if (total > 0) parts.push(t('scale.mean', { mean: formatNumber(sum / total, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) }));
    if (closed) parts.push(t('poll.closed'));
    this.columns.total.textContent = parts.join(' · ');
    this.element.dataset.mean = total > 0 ? (sum / total).toFixed(1) : '';
  }
}
