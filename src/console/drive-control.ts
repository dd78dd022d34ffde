/**
 * Who drives the slides, on every console: one seat drives and the phones
 * follow it. Another console asks to drive and the driver hands over with
 * one tap; once the driver's screens have all been gone for the take-over
 * delay, the asker may take over. A console that does not drive cannot move
 * the deck (main.ts asks `canDrive`).
 */
import { formatSeconds, formatSecondsAgo, t } from '../i18n/i18n';
import { el } from '../lib/dom';
import { NAME_MAX } from '../shared/limits';
import type { DriveRequest } from '../shared/protocol';
import type { ConsoleState } from './console-store';
import type { Send } from './send';
import type { ServerClock } from './server-clock';

const who = (seat: DriveRequest) => seat.name || t('drive.presenter');

export interface DriveControlOptions {
  send: Send;
  clock: ServerClock;
  /** This device's presenter name; changing it reconnects as that seat. */
  name: () => string | undefined;
  rename: (name: string) => void;
}

export class DriveControl {
  private state: ConsoleState | null = null;
  private readonly status = el('span', { className: 'drive-status', attrs: { 'aria-live': 'polite' } });
  private readonly action = el('button', { className: 'drive-action small', attrs: { type: 'button' } });
  private readonly decline = el('button', { className: 'drive-decline small', text: t('drive.keep'), attrs: { type: 'button' } });
  private readonly nameButton = el('button', { className: 'drive-name link', attrs: { type: 'button', title: t('drive.name-title') } });
  private readonly nameForm = el('form', { className: 'drive-name-form', attrs: { hidden: '' } });
  private readonly nameInput = el('input', {
    attrs: { type: 'text', maxlength: String(NAME_MAX), 'aria-label': t('drive.name-label'), placeholder: t('drive.name-placeholder') },
  });
  private onAction: (() => void) | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly options: DriveControlOptions,
  ) {
    this.nameForm.append(this.nameInput, el('button', { className: 'small', text: t('drive.save'), attrs: { type: 'submit' } }));
    root.replaceChildren(this.status, this.action, this.decline, this.nameButton, this.nameForm);
    this.action.addEventListener('click', () => this.onAction?.());
    this.decline.addEventListener('click', () => {
      const asking = this.state?.drive.asking;
      if (asking) void options.send('drive:decline', { to: asking.seat });
    });
    this.nameButton.addEventListener('click', () => {
      this.nameForm.hidden = false;
      this.nameButton.hidden = true;
      this.nameInput.value = options.name() ?? '';
      this.nameInput.focus();
    });
    this.nameForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.nameForm.hidden = true;
      this.nameButton.hidden = false;
      options.rename(this.nameInput.value.trim());
    });
    // The take-over countdown moves on its own.
    setInterval(() => this.state?.drive.driver?.goneSince != null && this.render(this.state), 1000);
  }

  /** Whether this console may move the deck: it drives, or nobody does (its first move claims the slides). */
  canDrive(): boolean {
    const drive = this.state?.drive;
    return !drive?.driver || drive.driver.seat === drive.you.seat;
  }

  /** Who to name when a move is refused. */
  driverName(): string {
    const driver = this.state?.drive.driver;
    return driver ? who(driver) : t('drive.another');
  }

  render(state: ConsoleState): void {
    this.state = state;
    const { driver, asking, you, takeOverMs } = state.drive;
    this.nameButton.textContent = t('drive.you', { name: who(you) });
    const mine = driver?.seat === you.seat;
    this.root.dataset.role = !driver ? 'none' : mine ? 'driver' : 'follower';
    this.decline.hidden = true;
    this.action.hidden = false;
    this.action.disabled = false;
    if (!driver) {
      this.show(t('drive.nobody'), t('drive.drive'), () => void this.options.send('drive:ask', {}));
    } else if (mine) {
      if (asking) {
        this.decline.hidden = false;
        this.show(
          t('drive.asks', { name: who(asking) }),
          t('drive.hand-over', { name: who(asking) }),
          () => void this.options.send('drive:handover', { to: asking.seat }),
        );
      } else {
        this.status.textContent = t('drive.mine');
        this.action.hidden = true;
      }
    } else {
      const goneMs = driver.goneSince === null ? null : Math.max(0, this.options.clock.now() - driver.goneSince);
      const waiting = asking?.seat === you.seat;
      let text = t('drive.other', { name: who(driver) });
      if (goneMs !== null) text += ` ${t('drive.gone', { ago: formatSecondsAgo(goneMs / 1000) })}`;
      if (waiting && (goneMs === null || goneMs < takeOverMs)) text += ` ${t('drive.waiting', { name: who(driver) })}`;
      const canTake = goneMs !== null && goneMs >= takeOverMs;
      const label = canTake ? t('drive.take-over') : waiting ? t('drive.asked', { name: who(driver) }) : t('drive.ask');
      this.show(text, label, () => void this.options.send('drive:ask', {}));
      this.action.disabled = waiting && !canTake;
      if (goneMs !== null && !canTake) this.action.title = t('drive.take-over-in', { seconds: formatSeconds(Math.ceil((takeOverMs - goneMs) / 1000)) });
    }
  }

  private show(text: string, action: string, run: () => void): void {
    this.status.textContent = text;
    this.action.textContent = action;
    this.onAction = run;
  }
}
