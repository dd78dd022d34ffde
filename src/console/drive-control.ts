/**
 * Who drives the slides, on every console: one seat drives and the phones
 * follow it. Another console asks to drive and the driver hands over with
 * one tap; once the driver's screens have all been gone for the take-over
 * delay, the asker may take over. A console that does not drive cannot move
 * the deck (main.ts asks `canDrive`).
 */
import { el } from '../lib/dom';
import { NAME_MAX } from '../shared/limits';
import type { DriveRequest } from '../shared/protocol';
import type { ConsoleState } from './console-store';
import type { Send } from './send';
import type { ServerClock } from './server-clock';

const who = (seat: DriveRequest) => seat.name || 'Presenter';

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
  private readonly decline = el('button', { className: 'drive-decline small', text: 'Keep driving', attrs: { type: 'button' } });
  private readonly nameButton = el('button', { className: 'drive-name link', attrs: { type: 'button', title: 'Your name, shown to co-presenters' } });
  private readonly nameForm = el('form', { className: 'drive-name-form', attrs: { hidden: '' } });
  private readonly nameInput = el('input', {
    attrs: { type: 'text', maxlength: String(NAME_MAX), 'aria-label': 'Your name, shown to co-presenters as who is driving', placeholder: 'Your name' },
  });
  private onAction: (() => void) | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly options: DriveControlOptions,
  ) {
    this.nameForm.append(this.nameInput, el('button', { className: 'small', text: 'Save', attrs: { type: 'submit' } }));
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
    return driver ? who(driver) : 'Another presenter';
  }

  render(state: ConsoleState): void {
    this.state = state;
    const { driver, asking, you, takeOverMs } = state.drive;
    this.nameButton.textContent = `You: ${who(you)} ✎`;
    const mine = driver?.seat === you.seat;
    this.root.dataset.role = !driver ? 'none' : mine ? 'driver' : 'follower';
    this.decline.hidden = true;
    this.action.hidden = false;
    this.action.disabled = false;
    if (!driver) {
      this.show('Nobody is driving the slides.', 'Drive', () => void this.options.send('drive:ask', {}));
    } else if (mine) {
      if (asking) {
        this.decline.hidden = false;
        this.show(
          `You are driving. ${who(asking)} asks to drive.`,
          `Hand over to ${who(asking)}`,
          () => void this.options.send('drive:handover', { to: asking.seat }),
        );
      } else {
        this.status.textContent = 'You are driving: the phones follow you.';
        this.action.hidden = true;
      }
    } else {
      const goneMs = driver.goneSince === null ? null : Math.max(0, this.options.clock.now() - driver.goneSince);
      const waiting = asking?.seat === you.seat;
      let text = `${who(driver)} is driving.`;
      if (goneMs !== null) text += ` Their screens left ${Math.round(goneMs / 1000)} s ago.`;
      if (waiting && (goneMs === null || goneMs < takeOverMs)) text += ` Waiting for ${who(driver)} to hand over…`;
      const canTake = goneMs !== null && goneMs >= takeOverMs;
      const label = canTake ? 'Take over' : waiting ? `Asked ${who(driver)}` : 'Ask to drive';
      this.show(text, label, () => void this.options.send('drive:ask', {}));
      this.action.disabled = waiting && !canTake;
      if (goneMs !== null && !canTake) this.action.title = `You can take over ${Math.ceil((takeOverMs - goneMs) / 1000)} s after their screens left`;
    }
  }

  private show(text: string, action: string, run: () => void): void {
    this.status.textContent = text;
    this.action.textContent = action;
    this.onAction = run;
  }
}
