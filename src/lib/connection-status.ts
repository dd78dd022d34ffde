/**
 * What every page shows about its own connection: live, reconnecting, or
 * (presenter pages) refused. One place listens to the socket's connection
 * events; each page says how it shows them.
 */
import { t } from '../i18n/i18n';
import type { LiveClient } from './socket';

export interface ConnectionView {
  /** Connected (again). */
  online(): void;
  /** The connection dropped, failed, or the server announced a restart: Socket.IO is retrying. */
  offline(): void;
  /**
   * Presenter pages: the server refused the token (or the handshake). The
   * socket is disconnected, as retrying cannot help; the page forgets the
   * token and says so.
   */
  refused?(): void;
}

export function watchConnection(socket: LiveClient, view: ConnectionView): void {
  socket.on('connect', () => view.online());
  socket.on('disconnect', (reason) => {
    // The page hung up itself (a refused token, an outdated page): it is not reconnecting.
    if (reason !== 'io client disconnect') view.offline();
  });
  socket.on('server:restarting', () => view.offline());
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    const code = error.data?.code;
    if (view.refused && (code === 'forbidden' || code === 'invalid')) {
      socket.disconnect();
      view.refused();
    } else view.offline();
  });
}

/** The phone's and the console's status line: "live" or "reconnecting…", and `is-offline` on the body for their CSS. */
export function statusLine(element: HTMLElement): ConnectionView {
  return {
    online: () => {
      element.textContent = t('connection.live');
      document.body.classList.remove('is-offline');
    },
    offline: () => {
      element.textContent = t('connection.reconnecting');
      document.body.classList.add('is-offline');
    },
  };
}
