/** `<div data-widget="join">`: the QR code and short URL phones open. */
import type { PublicTalk } from '../shared/protocol';
import { t } from '../i18n/i18n';
import { el } from './dom';

export function renderJoinWidgets(root: ParentNode, join: PublicTalk['join']): void {
  for (const widget of root.querySelectorAll<HTMLElement>('[data-widget="join"]')) {
    const qr = el('div', { className: 'join-qr', attrs: { role: 'img', 'aria-label': t('join.qr', { url: join.url }) } });
    // The SVG comes from our own server's QR encoder, not from a user.
    qr.innerHTML = join.qrSvg;
    widget.replaceChildren(qr, el('div', { className: 'join-url', text: join.url.replace(/^https?:\/\//, '').replace(/\/$/, '') }));
  }
}
