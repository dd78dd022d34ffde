/**
 * What the presenter shows the room besides slides: a blank projector
 * (B or .) and the phones paused with a message ("Back in a moment").
 */
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import { PAUSE_MESSAGE_MAX } from '../shared/limits';
import type { ConsoleState } from './console-store';
import type { Send } from './send';

export class ScreenControls {
  private blank = false;
  private paused = false;
  private readonly blankButton = el('button', { className: 'blank-toggle', attrs: { type: 'button', title: t('screen.blank-title') } });
  private readonly pauseButton = el('button', { className: 'pause-toggle', attrs: { type: 'button' } });
  private readonly message = el('input', {
    className: 'pause-message',
    attrs: { type: 'text', maxlength: String(PAUSE_MESSAGE_MAX), value: t('screen.pause-default'), 'aria-label': t('screen.pause-message') },
  });

  constructor(
    root: HTMLElement,
    private readonly send: Send,
  ) {
    this.blankButton.addEventListener('click', () => this.toggleBlank());
    this.pauseButton.addEventListener('click', () => this.togglePause());
    this.message.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.togglePause();
    });
    root.replaceChildren(this.blankButton, this.message, this.pauseButton);
  }

  toggleBlank(): void {
    void this.send('screen:blank', { blank: !this.blank });
  }

  private togglePause(): void {
    const message = this.message.value.trim();
    void this.send('follow:pause', this.paused ? { message: null } : message ? { message } : {});
  }

  render(state: ConsoleState): void {
    this.blank = state.blank;
    this.paused = state.paused !== null;
    this.blankButton.textContent = t(this.blank ? 'screen.unblank' : 'screen.blank');
    this.blankButton.setAttribute('aria-pressed', String(this.blank));
    this.pauseButton.textContent = t(this.paused ? 'screen.resume' : 'screen.pause');
    this.pauseButton.setAttribute('aria-pressed', String(this.paused));
    if (state.paused && document.activeElement !== this.message) this.message.value = state.paused.message ?? t('screen.pause-default');
    this.message.disabled = this.paused;
    document.body.classList.toggle('is-blank', this.blank);
    document.body.classList.toggle('is-paused', this.paused);
  }
}
