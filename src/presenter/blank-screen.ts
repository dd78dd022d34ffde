/**
 * The projector's blank screen: black over everything while the presenter
 * has blanked it (B or . here or on the console). Reveal's own pause on
 * those keys would blank this screen only, so the keys are taken over and
 * the state goes through the server, where every presenter surface sees it.
 */
import type { RevealConfig } from 'reveal.js';
import { el } from '../lib/dom';
import { request } from '../lib/request';
import type { LiveClient } from '../lib/socket';

/** Reveal's pause keys: B, V and period. */
const BLANK_KEY_CODES = [66, 86, 190];

export class BlankScreen {
  private blank = false;
  private socket: LiveClient | null = null;
  private readonly overlay = el('div', { className: 'blank-screen', attrs: { hidden: '', 'aria-hidden': 'true' } });

  constructor(parent: HTMLElement) {
    parent.append(this.overlay);
  }

  /** For the deck's config: Reveal calls these instead of its own local pause. */
  keyBindings(): NonNullable<Extract<RevealConfig['keyboard'], object>> {
    return Object.fromEntries(BLANK_KEY_CODES.map((code) => [code, () => this.toggle()]));
  }

  attach(socket: LiveClient): void {
    this.socket = socket;
    socket.on('snapshot', (snapshot) => this.show(snapshot.blank));
    socket.on('screen:changed', ({ blank }) => this.show(blank));
  }

  private toggle(): void {
    // The overlay follows the server's answer (screen:changed), so a refused or offline toggle leaves the screen as it is.
    if (this.socket) void request(this.socket, 'screen:blank', { blank: !this.blank });
  }

  private show(blank: boolean): void {
    this.blank = blank;
    this.overlay.hidden = !blank;
  }
}
