/**
 * Past sessions of this talk, on the presenter page (key S): date, audience
 * peak, question and message counts, downloads of the Markdown and JSON
 * exports, and starting a fresh session.
 */
import type { SessionList } from '../shared/protocol';
import { el } from '../lib/dom';
import { presenterFetch } from '../lib/presenter-auth';
import { errorText, request } from '../lib/request';
import type { LiveClient } from '../lib/socket';

export class SessionsPanel {
  private readonly root = el('aside', { className: 'sessions-panel', attrs: { hidden: '', 'aria-label': 'Sessions', tabindex: '-1' } });

  constructor(
    private readonly token: string,
    private readonly socket: LiveClient,
  ) {
    document.body.append(this.root);
    socket.on('snapshot', () => {
      if (!this.root.hidden) void this.refresh();
    });
  }

  toggle(): void {
    this.root.hidden = !this.root.hidden;
    if (!this.root.hidden) {
      void this.refresh();
      this.root.focus();
    }
  }

  private async refresh(): Promise<void> {
    const response = await presenterFetch('/api/presenter/sessions', this.token);
    if (!response.ok) {
      this.root.replaceChildren(el('p', { text: `Could not load sessions (${response.status}).` }));
      return;
    }
    const list = (await response.json()) as SessionList;
    const rows = list.sessions.map((session) =>
      el('tr', {}, [
        el('td', { text: `#${session.id}${session.id === list.current ? ' (live)' : ''}` }),
        el('td', { text: new Date(session.startedAt).toLocaleString() }),
        el('td', { text: String(session.peakAudience) }),
        el('td', { text: String(session.questions) }),
        el('td', { text: String(session.messages) }),
        el('td', {}, [this.download(session.id, 'md', 'Markdown'), ' ', this.download(session.id, 'json', 'JSON')]),
      ]),
    );
    const fresh = el('button', { text: 'Start a fresh session', attrs: { type: 'button' } });
    fresh.addEventListener('click', async () => {
      if (!window.confirm('End the current session and start a fresh one? Chat and questions start empty (the old ones stay in the list).')) return;
      const reply = await request(this.socket, 'session:start', {});
      if (!reply.ok) {
        notice.textContent = errorText(reply.error);
        return;
      }
      await this.refresh();
    });
    const notice = el('p', { className: 'sessions-notice', attrs: { role: 'alert' } });
    const close = el('button', { text: 'Close (S)', attrs: { type: 'button' } });
    close.addEventListener('click', () => this.toggle());
    this.root.replaceChildren(
      el('h2', { text: 'Sessions of this talk' }),
      el('table', {}, [
        el('thead', {}, [
          el(
            'tr',
            {},
            ['Session', 'Started', 'Peak audience', 'Questions', 'Messages', 'Export'].map((title) => el('th', { text: title })),
          ),
        ]),
        el('tbody', {}, rows),
      ]),
      el('div', { className: 'sessions-actions' }, [fresh, close]),
      notice,
    );
  }

  /** Downloads need the Authorization header, so they go through fetch and a blob URL. */
  private download(id: number, format: 'md' | 'json', label: string): HTMLButtonElement {
    const button = el('button', { text: label, attrs: { type: 'button' } });
    button.addEventListener('click', async () => {
      const response = await presenterFetch(`/api/presenter/sessions/${id}/export.${format}`, this.token);
      if (!response.ok) return;
      const url = URL.createObjectURL(await response.blob());
      const link = el('a', { attrs: { href: url, download: `session-${id}.${format}` } });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
    return button;
  }
}
