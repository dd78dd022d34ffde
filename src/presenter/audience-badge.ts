/** The projector's corner count of phones in the room: it shows the room that joining works. */
import { formatNumber, t } from '../i18n/i18n';
import { el } from '../lib/dom';
import { icon } from '../lib/icons';
import type { LiveClient } from '../lib/socket';

export class AudienceBadge {
  private readonly root = el('div', { className: 'audience-count', attrs: { role: 'status', 'aria-label': t('console.phones-connected') } });

  constructor(parent: HTMLElement) {
    parent.append(this.root);
  }

  attach(socket: LiveClient): void {
    socket.on('snapshot', (snapshot) => this.render(snapshot.audience));
    socket.on('audience:count', ({ n }) => this.render(n));
  }

  private render(n: number): void {
    this.root.replaceChildren(icon('mobile-phone'), ` ${formatNumber(n)}`);
    this.root.setAttribute('aria-label', t('projector.phones', { count: n }));
  }
}
