/**
 * What the phone shows about the link it does not own: a discreet
 * "presenter reconnecting…" while no presenter screen is connected (the
 * phone stays on the last slide and carries on when the presenter is back).
 * Its own connection, a server restart included, is lib/connection-status.ts.
 */
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import type { LiveClient } from '../lib/socket';

/** A presenter page reload takes about a second: only a longer absence is shown. */
const SHOW_AFTER_MS = 1500;

export function mountPresenterStatus(topbar: HTMLElement, socket: LiveClient): void {
  const badge = el('span', {
    className: 'presenter-status',
    text: t('phone.presenter-reconnecting'),
    attrs: { role: 'status', 'aria-live': 'polite', hidden: '' },
  });
  topbar.querySelector('.status')?.after(badge);

  let timer: number | undefined;
  const show = (offline: boolean) => {
    window.clearTimeout(timer);
    timer = undefined;
    if (!offline) badge.hidden = true;
    else timer = window.setTimeout(() => (badge.hidden = false), SHOW_AFTER_MS);
    document.body.classList.toggle('presenter-offline', offline);
  };

  socket.on('snapshot', ({ presenterOnline }) => show(!presenterOnline));
  socket.on('presenter:status', ({ online }) => show(!online));
  // While the phone itself is offline it knows nothing about the presenter; the status line says so.
  socket.on('disconnect', () => show(false));
}
