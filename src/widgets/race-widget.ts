/**
 * `<div data-widget="race">` on the projector: reload vs polling vs push,
 * three real clients of this server side by side, with what each one spends.
 *
 * The clients run only while the race is the current slide of a visible
 * page; anywhere else in the talk they are stopped and the server sees no
 * demo traffic. Each visit starts a fresh race (counters at zero).
 */
import type { Deck } from '../lib/deck';
import { formatDelay as formatDuration, formatNumber, formatSeconds, t } from '../i18n/i18n';
import { el } from '../lib/dom';
import { errorText } from '../lib/error-text';
import { request } from '../lib/request';
import type { LiveClient } from '../lib/socket';
import type { RaceClock, RaceMessage } from '../shared/protocol';
import { POLL_INTERVAL_MS, RELOAD_INTERVAL_MS } from '../shared/race';
import { formatBytes, formatDelay, PaneStats } from './race-stats';
import { PollingTransport, PushTransport, ReloadTransport, type PaneLink, type RaceTransport } from './race-transports';
import './widgets.css';

type PaneKind = 'reload' | 'polling' | 'push';

/** Built when a race is, once the page's language has loaded. */
const panes = (): Array<{ kind: PaneKind; title: string; how: string }> => [
  { kind: 'reload', title: t('race.reload'), how: t('race.reload-how', { seconds: formatSeconds(RELOAD_INTERVAL_MS / 1000) }) },
  { kind: 'polling', title: t('race.polling'), how: t('race.polling-how', { ms: formatDuration(POLL_INTERVAL_MS) }) },
  { kind: 'push', title: t('race.push'), how: t('race.push-how') },
];

/** The server's clock as seen from here: offset measured at start, from the fastest of a few round trips. */
async function syncClock(samples = 5): Promise<{ offset: number; last: number }> {
  let best = { rtt: Infinity, offset: 0 };
  let last = 0;
  for (let sample = 0; sample < samples; sample++) {
    const sent = performance.now();
    const response = await fetch('/api/race/clock', { cache: 'no-store' });
    const clock = (await response.json()) as RaceClock;
    const back = performance.now();
    last = clock.last;
    if (back - sent < best.rtt) best = { rtt: back - sent, offset: clock.now - (performance.timeOrigin + (sent + back) / 2) };
  }
  return { offset: best.offset, last };
}

class RacePane implements PaneLink {
  stats = new PaneStats();
  readonly element: HTMLElement;
  private readonly cells: Record<'messages' | 'requests' | 'bytes' | 'split' | 'median' | 'worst', HTMLElement>;
  private readonly feed = el('ol', { className: 'race-feed' });
  private renderScheduled = false;

  constructor(
    kind: PaneKind,
    title: string,
    how: string,
    private readonly serverNow: () => number,
  ) {
    const cell = (stat: string) => el('span', { attrs: { 'data-stat': stat } });
    this.cells = {
      messages: cell('messages'),
      requests: cell('requests'),
      bytes: cell('bytes'),
      split: el('span', { className: 'race-split caption', attrs: { 'data-stat': 'split' } }),
      median: cell('median'),
      worst: cell('worst'),
    };
    const row = (label: string, ...value: Node[]) => el('div', { className: 'race-row' }, [el('dt', { text: label }), el('dd', {}, value)]);
    this.element = el('div', { className: `race-pane race-${kind}`, attrs: { 'data-pane': kind } }, [
      el('h3', { text: title }),
      el('p', { className: 'race-how caption', text: how }),
      el('p', { className: 'race-big' }, [this.cells.messages, el('span', { text: t('race.messages') })]),
      el('dl', {}, [
        row(t('race.requests'), this.cells.requests),
        row(t('race.bytes'), this.cells.bytes, this.cells.split),
        row(t('race.median'), this.cells.median),
        row(t('race.worst'), this.cells.worst),
      ]),
      this.feed,
    ]);
    this.render();
  }

  reset(): void {
    this.stats = new PaneStats();
    this.render();
  }

  spent(requests: number, up: number, down: number): void {
    this.stats.requests += requests;
    this.stats.bytesUp += up;
    this.stats.bytesDown += down;
    this.scheduleRender();
  }

  received(messages: RaceMessage[]): void {
    const now = this.serverNow();
    for (const message of messages) this.stats.shown(message, Math.max(0, now - message.ts));
    this.scheduleRender();
  }

  /** Polling changes the counters ten times a second: one DOM update per frame is plenty. */
  private scheduleRender(): void {
    if (this.renderScheduled) return;
    this.renderScheduled = true;
    requestAnimationFrame(() => {
      this.renderScheduled = false;
      this.render();
    });
  }

  private render(): void {
    const { stats } = this;
    this.cells.messages.textContent = formatNumber(stats.messages);
    this.cells.requests.textContent = formatNumber(stats.requests);
    this.cells.bytes.textContent = formatBytes(stats.bytesUp + stats.bytesDown);
    this.cells.split.textContent = `↑ ${formatBytes(stats.bytesUp)} · ↓ ${formatBytes(stats.bytesDown)}`;
    this.cells.median.textContent = formatDelay(stats.median);
    this.cells.worst.textContent = formatDelay(stats.worst);
    this.feed.replaceChildren(
      ...stats.recent.map(({ message, delay }) =>
        el('li', {}, [el('span', { className: 'who', text: message.name }), el('span', { className: 'delay', text: formatDelay(delay) })]),
      ),
    );
  }
}

export class RaceWidget {
  private readonly panes: RacePane[];
  private readonly transports: RaceTransport[];
  private readonly status = el('p', { className: 'race-status', attrs: { role: 'status' } });
  private offset = 0;
  /** Bumped by start and stop: a start still syncing its clock gives up if it is no longer current. */
  private run = 0;
  private active = false;

  constructor(private readonly root: HTMLElement) {
    const serverNow = () => performance.timeOrigin + performance.now() + this.offset;
    this.panes = panes().map(({ kind, title, how }) => new RacePane(kind, title, how, serverNow));
    this.transports = [new ReloadTransport(this.panes[0]!), new PollingTransport(this.panes[1]!), new PushTransport(this.panes[2]!)];
    root.replaceChildren(
      el(
        'div',
        { className: 'race-panes' },
        this.panes.map((pane) => pane.element),
      ),
      this.status,
      el('p', { className: 'race-footnote caption', text: t('race.footnote') }),
    );
    root.dataset.state = 'idle';
  }

  get element(): HTMLElement {
    return this.root;
  }

  async start(): Promise<void> {
    if (this.active) return;
    this.active = true;
    const run = ++this.run;
    this.root.dataset.state = 'starting';
    for (const pane of this.panes) pane.reset();
    try {
      const clock = await syncClock();
      if (run !== this.run) return;
      this.offset = clock.offset;
      for (const transport of this.transports) transport.start(clock.last);
      await Promise.all(this.transports.map((transport) => transport.ready));
      if (run === this.run) this.root.dataset.state = 'running';
    } catch {
      if (run !== this.run) return;
      this.active = false;
      this.root.dataset.state = 'idle';
      this.say(t('race.unreachable'));
    }
  }

  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.run++;
    for (const transport of this.transports) transport.stop();
    this.root.dataset.state = 'stopped';
  }

  say(text: string): void {
    this.status.textContent = text;
  }
}

/** Mounts every race on the projector, runs it only while it is on screen, and gives the presenter P to ping. */
export function mountRaceWidgets(deck: Deck, socket: LiveClient): void {
  const races = [...deck.getSlidesElement()!.querySelectorAll<HTMLElement>('[data-widget="race"]')].map((root) => new RaceWidget(root));
  if (races.length === 0) return;
  const onScreen = () => races.find((race) => !document.hidden && deck.getCurrentSlide()?.contains(race.element));
  const update = () => {
    const current = onScreen();
    for (const race of races) {
      if (race === current) void race.start();
      else race.stop();
    }
  };
  deck.on('slidechanged', update);
  document.addEventListener('visibilitychange', update);
  update();

  // P is Reveal's "previous"; on the race slide it sends a ping instead.
  let sent = 0;
  deck.addKeyBinding({ keyCode: 80, key: 'P', description: 'Race slide: send a ping (elsewhere: previous)' }, (event) => {
    const race = onScreen();
    if (!race) return deck.prev({ skipFragments: event.altKey });
    void request(socket, 'race:ping', {}).then((reply) => race.say(reply.ok ? t('race.presenter-ping', { count: ++sent }) : errorText(reply.error)));
  });
}
