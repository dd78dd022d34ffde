/**
 * A poll as a bar chart: on the projector (with the presenter's reset and
 * close buttons), in a phone's slide and in its panel (where tapping an
 * option votes). Built once, then updated in place so focus and taps survive.
 */
import { el } from '../lib/dom';
import { errorText, type RequestError } from '../lib/request';
import type { PollView } from '../shared/protocol';
import type { PollDefinition } from './poll-store';

export interface PollChartOptions {
  /** Phones: tapping an option votes for it. */
  vote?: (option: number) => Promise<RequestError | null>;
  /** The presenter's controls. */
  controls?: {
    reset: () => Promise<RequestError | null>;
    close: (closed: boolean) => Promise<RequestError | null>;
  };
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
  private readonly notice = el('p', { className: 'poll-notice', attrs: { role: 'alert' } });
  private readonly closeButton = el('button', { className: 'poll-control', attrs: { type: 'button', 'data-action': 'close' } });
  private view: PollView | undefined;

  constructor(
    private readonly definition: PollDefinition,
    private readonly options: PollChartOptions = {},
  ) {
    this.rows = definition.options.map((label, index) => {
      const count = el('span', { className: 'poll-count' });
      const fill = el('span', { className: 'poll-fill' });
      const parts = [el('span', { className: 'poll-label', text: label }), count, el('span', { className: 'poll-bar' }, [fill])];
      const target = options.vote
        ? el('button', { className: 'poll-choice', attrs: { type: 'button', 'data-option': String(index) } }, parts)
        : el('div', { className: 'poll-choice', attrs: { 'data-option': String(index) } }, parts);
      if (options.vote) target.addEventListener('click', () => void this.act(() => options.vote!(index)));
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
      this.notice,
    ];
    if (options.controls) {
      const { reset, close } = options.controls;
      const resetButton = el('button', { className: 'poll-control', text: 'Reset', attrs: { type: 'button', 'data-action': 'reset' } });
      resetButton.addEventListener('click', () => void this.act(reset));
      this.closeButton.addEventListener('click', () => void this.act(() => close(!this.view?.closed)));
      children.push(el('div', { className: 'poll-controls' }, [resetButton, this.closeButton]));
    }
    this.element = el('div', { className: 'poll', attrs: { 'data-poll-chart': definition.id } }, children);
    this.update(undefined);
  }

  private async act(request: () => Promise<RequestError | null>): Promise<void> {
    const error = await request();
    this.notice.textContent = error ? errorText(error) : '';
  }

  update(view: PollView | undefined): void {
    this.view = view;
    const counts = this.definition.options.map((_, index) => view?.counts[index] ?? 0);
    const total = counts.reduce((sum, count) => sum + count, 0);
    const closed = view?.closed ?? false;
    this.rows.forEach((row, index) => {
      const count = counts[index]!;
      const share = total ? count / total : 0;
      row.count.textContent = `${count} · ${Math.round(share * 100)}%`;
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
    this.total.textContent = `${total} vote${total === 1 ? '' : 's'}${closed ? ' · voting closed' : ''}`;
    this.closeButton.textContent = closed ? 'Reopen' : 'Close voting';
  }
}
