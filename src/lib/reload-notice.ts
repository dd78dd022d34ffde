/**
 * "This page is out of date … Reload to continue", over everything, with a
 * Reload button: what a page built for another version of the wire
 * contract shows once it has stopped (socket.ts).
 */
import { t } from '../i18n/i18n';
import { el } from './dom';

export function showReloadNotice(): void {
  if (document.querySelector('.reload-notice')) return;
  const reload = el('button', { className: 'reload-button', text: t('reload.button'), attrs: { type: 'button' } });
  reload.addEventListener('click', () => location.reload());
  const notice = el('dialog', { className: 'reload-notice', attrs: { 'aria-labelledby': 'reload-notice-title' } }, [
    el('h2', { text: t('reload.title'), attrs: { id: 'reload-notice-title' } }),
    el('p', { text: t('reload.detail') }),
    reload,
  ]);
  // Styled from script: lib/ has no stylesheet, and every page (phone, projector, console) needs the same thing.
  Object.assign(notice.style, {
    boxSizing: 'border-box',
    width: '100vw',
    height: '100dvh',
    maxWidth: 'none',
    maxHeight: 'none',
    margin: '0',
    border: 'none',
    padding: '24px',
    background: '#191919',
    color: '#f2f2f2',
    fontFamily: 'system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
    fontSize: '18px',
    lineHeight: '1.4',
    textAlign: 'center',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
  });
  Object.assign(reload.style, {
    marginTop: '12px',
    minWidth: '160px',
    minHeight: '48px',
    padding: '10px 24px',
    font: 'inherit',
    fontWeight: '600',
    color: '#111',
    background: '#f2f2f2',
    border: 'none',
    borderRadius: '24px',
    cursor: 'pointer',
  });
  // Escape would close a modal dialog and leave a page that no longer works.
  notice.addEventListener('cancel', (event) => event.preventDefault());
  document.body.append(notice);
  // Modal: above every layer of every page, and the rest of the page inert.
  notice.showModal();
  reload.focus();
}
