/**
 * The slide's text size, smaller or larger than the phone's own setting (which the slide already
 * follows: its sizes are in rem), remembered on this device.
 */
const KEY = 'livedeck.slideTextSize';
export const TEXT_SIZES = [0.85, 1, 1.15, 1.3, 1.5, 1.75, 2] as const;
const DEFAULT_STEP = 1;

function storedStep(): number {
  try {
    const step = Number(localStorage.getItem(KEY));
    return Number.isInteger(step) && step >= 0 && step < TEXT_SIZES.length && localStorage.getItem(KEY) !== null ? step : DEFAULT_STEP;
  } catch {
    return DEFAULT_STEP;
  }
}

export class TextSize {
  private step = storedStep();

  constructor(
    private readonly target: HTMLElement,
    private readonly smaller: HTMLButtonElement,
    private readonly larger: HTMLButtonElement,
    private readonly onChange: () => void = () => undefined,
  ) {
    smaller.addEventListener('click', () => this.set(this.step - 1));
    larger.addEventListener('click', () => this.set(this.step + 1));
    this.apply();
  }

  private set(step: number): void {
    if (step < 0 || step >= TEXT_SIZES.length) return;
    this.step = step;
    try {
      localStorage.setItem(KEY, String(step));
    } catch {
      // Without storage the size lasts until the page closes.
    }
    this.apply();
    this.onChange();
  }

  private apply(): void {
    this.target.style.setProperty('--slide-text', String(TEXT_SIZES[this.step]));
    // At either end the button stays focusable (aria-disabled) so a screen reader hears why nothing happens.
    this.smaller.setAttribute('aria-disabled', String(this.step === 0));
    this.larger.setAttribute('aria-disabled', String(this.step === TEXT_SIZES.length - 1));
  }
}
