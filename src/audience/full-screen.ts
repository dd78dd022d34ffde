/**
 * The current slide on the whole screen: the frame covers the page (and the browser's chrome
 * where the Fullscreen API exists); pinch-zoom and rotation work as on any page. Escape, the
 * button or the system's back-out of fullscreen return to the room.
 */
import { t } from '../i18n/i18n';

export class FullScreen {
  private open = false;

  constructor(
    private readonly frame: HTMLElement,
    private readonly button: HTMLButtonElement,
    private readonly onChange: () => void = () => undefined,
  ) {
    button.addEventListener('click', () => this.toggle());
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.open) this.toggle(false);
    });
    document.addEventListener('fullscreenchange', () => {
      if (!document.fullscreenElement && this.open) this.toggle(false);
    });
    this.render();
  }

  get isOpen(): boolean {
    return this.open;
  }

  toggle(open = !this.open): void {
    if (open === this.open) return;
    this.open = open;
    if (open) this.frame.requestFullscreen?.().catch(() => undefined);
    else if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    this.render();
    this.onChange();
  }

  private render(): void {
    document.body.classList.toggle('is-fullscreen', this.open);
    const label = t(this.open ? 'phone.exit-full-screen' : 'phone.full-screen');
    this.button.querySelector('.label')!.textContent = label;
  }
}
