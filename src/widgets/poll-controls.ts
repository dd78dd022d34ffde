/** The presenter's controls of any poll, in the console: Reset, and Close voting / Reopen. */
import { el } from '../lib/dom';
import { errorText } from '../lib/error-text';
import type { RequestError } from '../lib/request';
import { t } from '../i18n/i18n';

export interface PollActions {
  reset: () => Promise<RequestError | null>;
  close: (closed: boolean) => Promise<RequestError | null>;
}

export class PollControls {
  readonly element: HTMLElement;
  private readonly closeButton = el('button', { className: 'poll-control', attrs: { type: 'button', 'data-action': 'close' } });
  private closed = false;

  constructor(actions: PollActions, report: (error: RequestError | null) => void) {
    const resetButton = el('button', { className: 'poll-control', text: t('poll.reset'), attrs: { type: 'button', 'data-action': 'reset' } });
    resetButton.addEventListener('click', async () => report(await actions.reset()));
    this.closeButton.addEventListener('click', async () => report(await actions.close(!this.closed)));
    this.element = el('div', { className: 'poll-controls' }, [resetButton, this.closeButton]);
    this.update(false);
  }

  update(closed: boolean): void {
    this.closed = closed;
    this.closeButton.textContent = closed ? t('poll.reopen') : t('poll.close');
  }
}

/** A line that shows why the last action was refused, and clears on the next success. */
export function noticeLine(): { element: HTMLElement; show: (error: RequestError | null) => void } {
  const element = el('p', { className: 'poll-notice', attrs: { role: 'alert' } });
  return { element, show: (error) => (element.textContent = error ? errorText(error) : '') };
}
