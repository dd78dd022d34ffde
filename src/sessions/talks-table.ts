/**
 * The presenter's home: every talk in the slides folder with its title,
 * author, duration, sessions and the date of the last one; one click makes a
 * talk live (phones follow at once). A file that does not load is listed
 * with its error (on a row of its own under the talk's, so a long message
 * never squeezes the other columns) and cannot go live.
 */
import { el } from '../lib/dom';
import { httpErrorText } from '../lib/error-text';
import { presenterFetch } from '../lib/presenter-auth';
import { formatNumber, language, t } from '../i18n/i18n';
import type { LiveState, TalkList, TalkSummary } from '../shared/protocol';

export interface TalksTableOptions {
  say: (message: string, error?: boolean) => void;
  refused: () => void;
  /** The presenter picked a talk to see its sessions (or made it live). */
  select: (talk: TalkSummary, live: LiveState | null) => void;
}

const shortDate = (ms: number) => new Intl.DateTimeFormat(language(), { day: 'numeric', month: 'short', year: 'numeric' }).format(ms);

export class TalksTable {
  private talks: TalkSummary[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly token: string,
    private readonly options: TalksTableOptions,
  ) {}

  /** Loads the list; resolves with it (null when refused or unreachable). */
  async refresh(): Promise<TalkList | null> {
    const response = await presenterFetch('/api/presenter/talks', this.token);
    if (response.status === 401) {
      this.options.refused();
      this.root.replaceChildren();
      this.options.say(t('sessions.refused'), true);
      return null;
    }
    if (!response.ok) {
      this.options.say(t('talks.load-failed', { status: String(response.status) }), true);
      return null;
    }
    const list = (await response.json()) as TalkList;
    this.talks = list.talks;
    this.render(list);
    return list;
  }

  find(id: string): TalkSummary | undefined {
    return this.talks.find((talk) => talk.id === id);
  }

  private render(list: TalkList): void {
    const columns = [
      'talks.col-talk',
      'talks.col-author',
      'talks.col-length',
      'talks.col-slides',
      'talks.col-sessions',
      'talks.col-last',
      'talks.col-state',
      'talks.col-actions',
    ] as const;
    const rows = list.talks.flatMap((talk, index) => {
      const errorId = `talk-error-${index}`;
      const isLive = list.live?.talkId === talk.id;
      const state = isLive
        ? el('span', { className: 'talk-state is-live', text: t(list.live?.ended ? 'talks.live-ended' : 'talks.live') })
        : talk.error
          ? el('span', { className: 'talk-state is-broken', text: t('talks.broken') })
          : el('span', { className: 'talk-state', text: '' });
      const title = el('th', { attrs: { scope: 'row', ...(talk.error ? { 'aria-describedby': errorId } : {}) } }, [
        el('span', { className: 'talk-name', text: talk.title }),
        el('span', { className: 'talk-file', text: talk.file }),
      ]);
      const actions = el('div', { className: 'talk-actions' });
      if (!talk.error && !isLive) {
        const live = el('button', {
          className: 'make-live',
          text: t('talks.make-live'),
          attrs: { type: 'button', 'aria-label': t('talks.make-live-label', { talk: talk.title }) },
        });
        live.addEventListener('click', () => void this.makeLive(talk));
        actions.append(live);
      }
      if (talk.sessions > 0) {
        const sessions = el('button', {
          className: 'show-sessions',
          text: t('talks.sessions'),
          attrs: { type: 'button', 'aria-label': t('sessions.of-talk', { talk: talk.title }) },
        });
        sessions.addEventListener('click', () => this.options.select(talk, list.live));
        actions.append(sessions);
      }
      const row = el('tr', { className: [isLive ? 'is-live' : '', talk.error ? 'is-broken' : ''].filter(Boolean).join(' '), attrs: { 'data-talk': talk.id } }, [
        title,
        el('td', { text: talk.author ?? '—' }),
        el('td', { className: 'number', text: talk.duration === null ? '—' : t('sessions.minutes', { count: talk.duration }) }),
        el('td', { className: 'number', text: talk.error ? '—' : formatNumber(talk.slides) }),
        el('td', { className: 'number', text: formatNumber(talk.sessions) }),
        el('td', { text: talk.lastSessionAt === null ? t('talks.never') : shortDate(talk.lastSessionAt) }),
        el('td', {}, [state]),
        el('td', {}, [actions]),
      ]);
      if (!talk.error) return [row];
      const error = el('tr', { className: 'talk-error-row', attrs: { 'data-talk-error': talk.id } }, [
        el('td', { attrs: { colspan: String(columns.length) } }, [el('p', { className: 'talk-error', text: talk.error, attrs: { id: errorId } })]),
      ]);
      return [row, error];
    });
    this.root.replaceChildren(
      el('table', {}, [
        el('thead', {}, [
          el(
            'tr',
            {},
            columns.map((key) => el('th', { text: t(key), attrs: { scope: 'col' } })),
          ),
        ]),
        el('tbody', {}, rows),
      ]),
    );
  }

  private async makeLive(talk: TalkSummary): Promise<void> {
    const response = await presenterFetch(`/api/presenter/talks/${encodeURIComponent(talk.id)}/live`, this.token, { method: 'POST' });
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => null);
      // A talk that vanished or broke since the list was drawn shows as it is now (a broken one with its error).
      if (response.status === 404 || response.status === 409) await this.refresh();
      this.options.say(t('talks.make-live-failed', { talk: talk.title, reason: httpErrorText(body, response.status) }), true);
      return;
    }
    const live = (await response.json()) as LiveState;
    this.options.say(t('talks.now-live', { talk: talk.title }));
    await this.refresh();
    this.options.select(this.find(talk.id) ?? talk, live);
  }
}
