/**
 * The sessions of one talk as a table: date, length, audience peak, question
 * and message counts, its report (to read, or to download as one HTML file),
 * Markdown and JSON exports; for the live talk, "End the talk" and "Start a
 * fresh session".
 */
import { el } from '../lib/dom';
import { presenterFetch } from '../lib/presenter-auth';
import { formatDateTime, formatNumber, language, t } from '../i18n/i18n';
import type { SessionList, SessionSummary, TalkSummary } from '../shared/protocol';

export interface SessionsTableOptions {
  /** A line for the page's status area. */
  say: (message: string, error?: boolean) => void;
  /** The server refused the token. */
  refused: () => void;
}

const duration = (session: SessionSummary) => {
  if (session.endedAt === null) return t('sessions.open');
  const minutes = Math.round((session.endedAt - session.startedAt) / 60_000);
  return minutes < 1 ? t('sessions.under-a-minute') : t('sessions.minutes', { count: minutes });
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
      this.options.say(t('sessions.refused'), true);
      return;
    }
    if (!response.ok) {
      this.options.say(t('sessions.load-failed', { status: String(response.status) }), true);
      return;
    }
    const list = (await response.json()) as SessionList;
    this.render(list);
    const sessions = t('sessions.count', { count: list.sessions.length });
    this.options.say(
      list.live
        ? t(list.live.ended ? 'sessions.status-ended' : 'sessions.status-live', { sessions, id: String(list.current) })
        : t('sessions.status-none', { sessions }),
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
          text: session.id === list.current ? t(list.live?.ended ? 'sessions.row-ended' : 'sessions.row-live', { id: String(session.id) }) : `#${session.id}`,
        }),
        el('td', { text: formatDateTime(session.startedAt) }),
        el('td', { text: duration(session) }),
        el('td', { className: 'number', text: formatNumber(session.peakAudience) }),
        el('td', { className: 'number', text: formatNumber(session.questions) }),
        el('td', { className: 'number', text: formatNumber(session.messages) }),
        el('td', { className: 'exports' }, [
          this.openReport(session.id),
          this.download(session, 'report.html', t('sessions.download-report'), t('sessions.download-report-label', { id: String(session.id) })),
          this.download(session, 'export.md', t('sessions.markdown'), t('sessions.markdown-label', { id: String(session.id) })),
          this.download(session, 'export.json', t('sessions.json'), t('sessions.json-label', { id: String(session.id) })),
        ]),
      ]),
    );
    const actions: HTMLElement[] = [];
    if (this.showsLive(list)) {
      if (!list.live?.ended) {
        const end = el('button', { className: 'end-talk', text: t('sessions.end'), attrs: { type: 'button' } });
        end.addEventListener('click', () => void this.endTalk());
        actions.push(end);
      }
      const fresh = el('button', { className: 'fresh-session', text: t('sessions.fresh'), attrs: { type: 'button' } });
      fresh.addEventListener('click', () => void this.startFresh());
      actions.push(
        fresh,
        el('p', {
          className: 'hint',
          text: t('sessions.actions-hint'),
        }),
      );
    }
    this.root.replaceChildren(
      el('h2', { className: 'sessions-heading', text: this.talk ? t('sessions.of-talk', { talk: this.talk.title }) : t('sessions.of-live') }),
      el('table', {}, [
        el('thead', {}, [
          el(
            'tr',
            {},
            (
              [
                'sessions.col-session',
                'sessions.col-started',
                'sessions.col-length',
                'sessions.col-peak',
                'sessions.col-questions',
                'sessions.col-messages',
                'sessions.col-export',
              ] as const
            ).map((key) => el('th', { text: t(key), attrs: { scope: 'col' } })),
          ),
        ]),
        el('tbody', {}, rows),
      ]),
      ...(list.sessions.length ? [] : [el('p', { className: 'hint', text: t('sessions.none') })]),
      el('div', { className: 'sessions-actions' }, actions),
    );
  }

  private async endTalk(): Promise<void> {
    if (!window.confirm(t('console.end-confirm'))) return;
    const response = await presenterFetch('/api/presenter/sessions/current/end', this.token, { method: 'POST' });
    if (!response.ok) {
      this.options.say(t('sessions.end-failed', { status: String(response.status) }), true);
      return;
    }
    await this.refresh();
  }

  private async startFresh(): Promise<void> {
    if (!window.confirm(t('sessions.fresh-confirm'))) return;
    const response = await presenterFetch('/api/presenter/sessions', this.token, { method: 'POST' });
    if (!response.ok) {
      this.options.say(t('sessions.fresh-failed', { status: String(response.status) }), true);
      return;
    }
    await this.refresh();
  }

  /** Reports and exports need the Authorization header, so they go through fetch and a blob URL. */
  private async fetchFile(id: number, file: string): Promise<Blob | null> {
    // The report comes in the page's language (the person may have switched it), not only the browser's.
    const response = await presenterFetch(`/api/presenter/sessions/${id}/${file}`, this.token, { headers: { 'Accept-Language': language() } });
    if (!response.ok) {
      this.options.say(t('sessions.file-failed', { file, id: String(id), status: String(response.status) }), true);
      return null;
    }
    return response.blob();
  }

  /** Opens the report in a new tab: the same self-contained file the download saves. */
  private openReport(id: number): HTMLButtonElement {
    const button = el('button', {
      className: 'open-report',
      text: t('sessions.report'),
      attrs: { type: 'button', 'aria-label': t('sessions.report-label', { id: String(id) }) },
    });
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

  private download(session: SessionSummary, file: 'report.html' | 'export.md' | 'export.json', label: string, ariaLabel: string): HTMLButtonElement {
    const format = file === 'report.html' ? 'report' : file.slice('export.'.length);
    const button = el('button', { text: label, attrs: { type: 'button', 'data-export': format, 'aria-label': ariaLabel } });
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
