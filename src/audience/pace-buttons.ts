/**
 * Two discreet buttons that tell the presenter "slower" or "faster". One
 * vote per person; pressing it again takes it back, and it lapses on its
 * own after a minute, as it does on the server.
 */
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import { icon } from '../lib/icons';
import { request } from '../lib/request';
import type { LiveClient } from '../lib/socket';
import { PACE_VOTE_TTL_MS } from '../shared/limits';
import type { PaceDirection } from '../shared/protocol';

export class PaceButtons {
  private vote: PaceDirection | null = null;
  private lapse: ReturnType<typeof setTimeout> | undefined;
  private readonly buttons: Record<PaceDirection, HTMLButtonElement> = {
    slower: el('button', { className: 'pace-button', attrs: { type: 'button', 'aria-pressed': 'false', 'aria-label': t('phone.ask-slower') } }, [
      icon('turtle'),
      el('span', { className: 'pace-label', text: t('phone.slower') }),
    ]),
    faster: el('button', { className: 'pace-button', attrs: { type: 'button', 'aria-pressed': 'false', 'aria-label': t('phone.ask-faster') } }, [
      icon('rabbit'),
      el('span', { className: 'pace-label', text: t('phone.faster') }),
    ]),
  };

  constructor(
    parent: HTMLElement,
    private readonly socket: LiveClient,
  ) {
    for (const dir of ['slower', 'faster'] as const) this.buttons[dir].addEventListener('click', () => this.press(dir));
    parent.append(
      el('div', { className: 'pace-buttons', attrs: { role: 'group', 'aria-label': t('phone.pace') } }, [this.buttons.slower, this.buttons.faster]),
    );
  }

  private async press(dir: PaceDirection): Promise<void> {
    const next = this.vote === dir ? null : dir;
    // Refused or offline, the button stays as it was, which is the truth.
    const reply = await request(this.socket, 'pace:vote', { dir: next });
    if (reply.ok) this.show(next);
  }

  private show(vote: PaceDirection | null): void {
    this.vote = vote;
    for (const dir of ['slower', 'faster'] as const) this.buttons[dir].setAttribute('aria-pressed', String(dir === vote));
    clearTimeout(this.lapse);
    if (vote) this.lapse = setTimeout(() => this.show(null), PACE_VOTE_TTL_MS);
  }
}
