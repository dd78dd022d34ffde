/**
 * A choice poll as a bar chart: on the projector, in a phone's slide and in
 * its panel (where tapping an option votes), and in the console (with the
 * presenter's controls). Built once, then updated in place so focus and
 * taps survive. What it shares with the scale is in vote-bars.ts.
 */
import { el } from '../lib/dom';
import { formatPercent, t } from '../i18n/i18n';
import type { ChoicePollDefinition } from '../shared/poll-definitions';
import type { PollView } from '../shared/protocol';
import { VoteBars, type VoteBarsOptions } from './vote-bars';

export type PollChartOptions = VoteBarsOptions;

export class PollChart {
  readonly element: HTMLElement;
  private readonly bars: VoteBars;

  constructor(definition: ChoicePollDefinition, options: PollChartOptions = {}) {
    this.bars = new VoteBars(options);
    for (const [index, label] of definition.options.entries()) {
      const count = el('span', { className: 'poll-count' });
      const fill = el('span', { className: 'poll-fill' });
      const parts = [el('span', { className: 'poll-label', text: label }), count, el('span', { className: 'poll-bar' }, [fill])];
      const target = this.bars.target('poll-choice', index, parts);
      this.bars.bars.push({ item: el('li', { className: 'poll-option' }, [target]), target, count, fill });
    }
    this.element = el('div', { className: 'poll', attrs: { 'data-poll-chart': definition.id } }, [
      el('p', { className: 'poll-question', text: definition.question }),
      el(
        'ol',
        { className: 'poll-options' },
        this.bars.bars.map((bar) => bar.item),
      ),
      ...this.bars.footer(),
    ]);
    this.update(undefined);
  }

  update(view: PollView | undefined): void {
    const { counts, total, closed } = this.bars.update(this.element, view);
    this.bars.bars.forEach((bar, index) => {
      const count = counts[index]!;
      const share = total ? count / total : 0;
      bar.count.textContent = t('poll.count', { count, percent: formatPercent(share) });
      bar.fill.style.width = `${share * 100}%`;
    });
    this.bars.total.textContent = t('poll.votes', { count: total }) + (closed ? ` · ${t('poll.closed')}` : '');
  }
}
