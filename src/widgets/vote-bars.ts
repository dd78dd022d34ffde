/**
 * What a choice poll's bars (poll-chart.ts) and a scale's columns
 * (scale-chart.ts) share: one bar per option, whose target votes when tapped
 * on a phone and is a plain box elsewhere; the total line, the notice and,
 * in the console, the presenter's controls under the chart; and, on every
 * update, which option is this viewer's, the targets disabled while the poll
 * is closed, and the chart's `data-total` and `is-closed`. Each chart draws
 * its own bars, counts and total text from the tally `update` returns.
 */
import { el } from '../lib/dom';
import type { RequestError } from '../lib/request';
import type { PollView } from '../shared/protocol';
import { noticeLine, PollControls, type PollActions } from './poll-controls';

export interface VoteBarsOptions {
  /** Phones: tapping an option votes for it (its index). */
  vote?: (option: number) => Promise<RequestError | null>;
  /** The presenter's controls. */
  controls?: PollActions;
}

/** One option's elements: its list item, its target (button or box), its count and the fill of its bar. */
export interface VoteBar {
  item: HTMLElement;
  target: HTMLElement;
  count: HTMLElement;
  fill: HTMLElement;
}

/** What a view holds for the chart: one count per option, their sum, and whether voting is closed. */
export interface VoteTally {
  counts: number[];
  total: number;
  closed: boolean;
}

export class VoteBars {
  readonly bars: VoteBar[] = [];
  readonly total = el('p', { className: 'poll-total' });
  private readonly notice = noticeLine();
  private readonly controls: PollControls | undefined;

  constructor(private readonly options: VoteBarsOptions) {
    if (options.controls) this.controls = new PollControls(options.controls, this.notice.show);
  }

  /** Option `index`'s target holding `parts`: a button that votes where this page votes (`label` names it), else a box. */
  target(className: string, index: number, parts: Node[], label?: string): HTMLElement {
    const option = String(index);
    const vote = this.options.vote;
    if (!vote) return el('div', { className, attrs: { 'data-option': option } }, parts);
    const button = el('button', { className, attrs: { type: 'button', 'data-option': option, ...(label ? { 'aria-label': label } : {}) } }, parts);
    button.addEventListener('click', async () => this.notice.show(await vote(index)));
    return button;
  }

  /** What goes under the chart: the total line, the notice, and the controls in the console. */
  footer(): Node[] {
    return this.controls ? [this.total, this.notice.element, this.controls.element] : [this.total, this.notice.element];
  }

  /** Marks this viewer's option and the closed state on `chart` and its bars; returns the counts to draw. */
  update(chart: HTMLElement, view: PollView | undefined): VoteTally {
    const counts = this.bars.map((_, index) => view?.counts[index] ?? 0);
    const total = counts.reduce((sum, count) => sum + count, 0);
    const closed = view?.closed ?? false;
    this.bars.forEach((bar, index) => {
      const mine = view?.mine === index;
      bar.item.classList.toggle('is-mine', mine);
      if (bar.target instanceof HTMLButtonElement) {
        bar.target.setAttribute('aria-pressed', String(mine));
        bar.target.disabled = closed;
      }
    });
    chart.dataset.total = String(total);
    chart.classList.toggle('is-closed', closed);
    this.controls?.update(closed);
    return { counts, total, closed };
  }
}
