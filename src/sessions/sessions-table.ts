/**
 * The sessions of this talk as a table: date, audience peak, question and
 * message counts, Markdown and JSON downloads, and "Start a fresh session".
 */
import { el } from '../lib/dom';
import { presenterFetch } from '../lib/presenter-auth';
import type { SessionList, SessionSummary } from '../shared/protocol';

export interface SessionsTableOptions {
  /** A line for the page's status area. */
  say: (message: string, error?: boolean) => void;
  /** The server refused the token. */
  refused: () => void;
}

const duration = (session: SessionSummary) => {
  if (session.endedAt === null) return 'open';
  const minutes = Math.round((session.endedAt - session.startedAt) / 60_000);
  return minutes < 1 ? 'under a minute' : `${minutes} min`;
};

export class SessionsTable {
  constructor(
    private readonly root: HTMLElement,
    private readonly token: string,
    private readonly options: SessionsTableOptions,
  ) {}

  async refresh(): Promise<void> {
    const response = await presenterFetch('/api/presenter/sessions', this.token);
    if (response.status === 401) {
      this.options.refused();
      this.root.replaceChildren();
      this.options.say('The presenter token was refused. Open this page again from the console, or with the presenter URL the server printed.', true);
      return;
    }
    if (!response.ok) {
      this.options.say(`Could not load the sessions (HTTP ${response.status}). Reload to try again.`, true);
      return;
    }
    const list = (await response.json()) as SessionList;
    this.render(list);
    this.options.say(`${list.sessions.length} session${list.sessions.length === 1 ? '' : 's'}; #${list.current} is live.`);
  }

  private render(list: SessionList): void {
    const rows = list.sessions.map((session) =>
      el('tr', { attrs: { 'data-session': String(session.id) } }, [
        el('th', { attrs: { scope: 'row' }, text: `#${session.id}${session.id === list.current ? ' (live)' : ''}` }),
        el('td', { text: new Date(session.startedAt).toLocaleString() }),
        el('td', { text: duration(session) }),
        el('td', { className: 'number', text: String(session.peakAudience) }),
        el('td', { className: 'number', text: String(session.questions) }),
        el('td', { className: 'number', text: String(session.messages) }),
        el('td', { className: 'exports' }, [this.download(session.id, 'md', 'Markdown'), this.download(session.id, 'json', 'JSON')]),
      ]),
    );
    const fresh = el('button', { className: 'fresh-session', text: 'Start a fresh session', attrs: { type: 'button' } });
    fresh.addEventListener('click', () => void this.startFresh());
    this.root.replaceChildren(
      el('table', {}, [
        el('thead', {}, [
          el(
            'tr',
            {},
            ['Session', 'Started', 'Length', 'Peak audience', 'Questions', 'Messages', 'Export'].map((title) =>
              el('th', { text: title, attrs: { scope: 'col' } }),
            ),
          ),
        ]),
        el('tbody', {}, rows),
      ]),
      el('div', { className: 'sessions-actions' }, [
        fresh,
        el('p', {
          className: 'hint',
          text: 'Ends the live session: chat, questions and polls start empty on every screen. The old session stays here, with its exports.',
        }),
      ]),
    );
  }

  private async startFresh(): Promise<void> {
    if (!window.confirm('End the live session and start a fresh one? Chat, questions and polls start empty on every screen.')) return;
    const response = await presenterFetch('/api/presenter/sessions', this.token, { method: 'POST' });
    if (!response.ok) {
      this.options.say(`Could not start a fresh session (HTTP ${response.status}). Try again.`, true);
      return;
    }
    await this.refresh();
  }

  /** Downloads need the Authorization header, so they go through fetch and a blob URL. */
  private download(id: number, format: 'md' | 'json', label: string): HTMLButtonElement {
    const button = el('button', { text: label, attrs: { type: 'button', 'data-export': format, 'aria-label': `Download session ${id} as ${label}` } });
    button.addEventListener('click', async () => {
      const response = await presenterFetch(`/api/presenter/sessions/${id}/export.${format}`, this.token);
      if (!response.ok) {
        this.options.say(`Could not download session ${id} (HTTP ${response.status}).`, true);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const link = el('a', { attrs: { href: url, download: `session-${id}.${format}` } });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
    return button;
  }
}
