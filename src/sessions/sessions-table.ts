/**
 * The sessions of one talk as a table: date, length, audience peak, question
 * and message counts, its report (to read, or to download as one HTML file),
 * Markdown and JSON exports; for the live talk, "End the talk" and "Start a
 * fresh session".
 */
import { el } from '../lib/dom';
import { presenterFetch } from '../lib/presenter-auth';
import type { SessionList, SessionSummary, TalkSummary } from '../shared/protocol';

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
  /** The talk shown; undefined: the live one. */
  private talk: Pick<TalkSummary, 'id' | 'title'> | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly token: string,
    private readonly options: SessionsTableOptions,
  ) {}

  /** Shows another talk's sessions. */
  async show(talk: Pick<TalkSummary, 'id' | 'title'>): Promise<void> {
    this.talk = talk;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const query = this.talk ? `?talk=${encodeURIComponent(this.talk.id)}` : '';
    const response = await presenterFetch(`/api/presenter/sessions${query}`, this.token);
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
    const count = `${list.sessions.length} session${list.sessions.length === 1 ? '' : 's'}`;
    this.options.say(
      list.live ? `${count}; #${list.current} is on the screens${list.live.ended ? ' (ended: phones show its handout)' : ''}.` : `${count}; no talk is live.`,
    );
  }

  /** Whether the shown talk is the live one. */
  private showsLive(list: SessionList): boolean {
    return list.live !== null && (this.talk === undefined || this.talk.id === list.live.talkId);
  }

  private render(list: SessionList): void {
    const rows = list.sessions.map((session) =>
      el('tr', { attrs: { 'data-session': String(session.id) } }, [
        el('th', {
          attrs: { scope: 'row' },
          text: `#${session.id}${session.id === list.current ? (list.live?.ended ? ' (ended, on the screens)' : ' (live)') : ''}`,
        }),
        el('td', { text: new Date(session.startedAt).toLocaleString() }),
        el('td', { text: duration(session) }),
        el('td', { className: 'number', text: String(session.peakAudience) }),
        el('td', { className: 'number', text: String(session.questions) }),
        el('td', { className: 'number', text: String(session.messages) }),
        el('td', { className: 'exports' }, [
          this.openReport(session.id),
          this.download(session, 'report.html', 'Download report', 'Download report of session'),
          this.download(session, 'export.md', 'Markdown', 'Download as Markdown session'),
          this.download(session, 'export.json', 'JSON', 'Download as JSON session'),
        ]),
      ]),
    );
    const actions: HTMLElement[] = [];
    if (this.showsLive(list)) {
      if (!list.live?.ended) {
        const end = el('button', { className: 'end-talk', text: 'End the talk', attrs: { type: 'button' } });
        end.addEventListener('click', () => void this.endTalk());
        actions.push(end);
      }
      const fresh = el('button', { className: 'fresh-session', text: 'Start a fresh session', attrs: { type: 'button' } });
      fresh.addEventListener('click', () => void this.startFresh());
      actions.push(
        fresh,
        el('p', {
          className: 'hint',
          text: 'Ending the talk puts its handout on every phone. A fresh session starts chat, questions and polls empty on every screen. Old sessions stay here, with their reports.',
        }),
      );
    }
    this.root.replaceChildren(
      el('h2', { className: 'sessions-heading', text: this.talk ? `Sessions of “${this.talk.title}”` : 'Sessions of the live talk' }),
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
      ...(list.sessions.length ? [] : [el('p', { className: 'hint', text: 'No sessions yet.' })]),
      el('div', { className: 'sessions-actions' }, actions),
    );
  }

  private async endTalk(): Promise<void> {
    if (!window.confirm('End the talk? Every phone switches to its handout; questions and chat close.')) return;
    const response = await presenterFetch('/api/presenter/sessions/current/end', this.token, { method: 'POST' });
    if (!response.ok) {
      this.options.say(`Could not end the talk (HTTP ${response.status}). Try again.`, true);
      return;
    }
    await this.refresh();
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

  /** Reports and exports need the Authorization header, so they go through fetch and a blob URL. */
  private async fetchFile(id: number, file: string): Promise<Blob | null> {
    const response = await presenterFetch(`/api/presenter/sessions/${id}/${file}`, this.token);
    if (!response.ok) {
      this.options.say(`Could not get ${file} of session ${id} (HTTP ${response.status}).`, true);
      return null;
    }
    return response.blob();
  }

  /** Opens the report in a new tab: the same self-contained file the download saves. */
  private openReport(id: number): HTMLButtonElement {
    const button = el('button', { className: 'open-report', text: 'Report', attrs: { type: 'button', 'aria-label': `Open the report of session ${id}` } });
    button.addEventListener('click', async () => {
      // Opened at once, inside the click, so no pop-up blocker stands in the way; filled when the report arrives.
      const tab = window.open('', '_blank');
      const blob = await this.fetchFile(id, 'report.html');
      if (!blob) return tab?.close();
      const url = URL.createObjectURL(new Blob([blob], { type: 'text/html' }));
      if (tab) tab.location.href = url;
      else location.assign(url);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
    return button;
  }

  private download(session: SessionSummary, file: 'report.html' | 'export.md' | 'export.json', label: string, describe: string): HTMLButtonElement {
    const format = file === 'report.html' ? 'report' : file.slice('export.'.length);
    const button = el('button', { text: label, attrs: { type: 'button', 'data-export': format, 'aria-label': `${describe} ${session.id}` } });
    button.addEventListener('click', async () => {
      const blob = await this.fetchFile(session.id, file);
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      // Session ids are unique across the series' talks.
      const link = el('a', {
        attrs: { href: url, download: file === 'report.html' ? `session-${session.id}-report.html` : `session-${session.id}.${format}` },
      });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
    return button;
  }
}
