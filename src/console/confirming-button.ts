/**
 * A button that asks once more before an action that cannot be undone (a
 * ban): the first click arms it and its label asks for confirmation, a
 * second click within CONFIRM_MS runs the action, and it disarms itself
 * otherwise. One instance serves a whole list, one button per row: the armed
 * row is kept here, not in the button, because the list re-renders.
 */
import { el } from '../lib/dom';

const CONFIRM_MS = 3000;

export class ConfirmingButtons {
  /** The row whose button is waiting to have its action confirmed. */
  private armed: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `rerender` draws the list again, so that the buttons show whether they are armed. */
  constructor(private readonly rerender: () => void) {}

  /** The button of row `key`: `label` at rest, `confirmLabel` once armed; `run` on the confirming click. */
  button(key: string, label: string, confirmLabel: string, run: () => void): HTMLButtonElement {
    const button = el('button', { className: 'small danger', text: this.armed === key ? confirmLabel : label, attrs: { type: 'button' } });
    button.addEventListener('click', () => this.click(key, run));
    return button;
  }

  private click(key: string, run: () => void): void {
    clearTimeout(this.timer);
    if (this.armed !== key) {
      this.armed = key;
      this.timer = setTimeout(() => {
        this.armed = null;
        this.rerender();
      }, CONFIRM_MS);
    } else {
      this.armed = null;
      run();
    }
    this.rerender();
  }
}
