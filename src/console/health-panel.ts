/**
 * The room's health at a glance: phones connected, how long a move takes to
 * reach their screens (p50 / p95, measured from the phones), phones that
 * reconnected in the last minute, phones looking back, and whether the
 * slowest phones are stuck on long-polling. Amber and red say "look here".
 */
import { formatDelay, formatNumber, t, type MessageKey } from '../i18n/i18n';
import { el } from '../lib/dom';
import type { RoomHealth } from '../shared/protocol';

/** Push latency the room feels: beyond these, the phones lag the projector visibly. */
const SLOW_MS = 500;
const VERY_SLOW_MS = 2000;

export class HealthPanel {
  private readonly phones = el('dd', { className: 'health-phones' });
  private readonly latency = el('dd', { className: 'health-latency' });
  private readonly reconnected = el('dd', { className: 'health-reconnected' });
  private readonly behind = el('dd', { className: 'health-behind' });
  private readonly slowest = el('dd', { className: 'health-slowest' });

  constructor(root: HTMLElement) {
    const stat = (label: MessageKey, value: HTMLElement, title: MessageKey) =>
      el('div', { className: 'health-stat', attrs: { title: t(title) } }, [el('dt', { text: t(label) }), value]);
    root.replaceChildren(
      el('h2', { className: 'panel-title', text: t('health.title') }),
      el('dl', { className: 'health-grid' }, [
        stat('health.latency', this.latency, 'health.latency-title'),
        stat('health.phones', this.phones, 'health.phones-title'),
        stat('health.slowest', this.slowest, 'health.slowest-title'),
        stat('health.reconnected', this.reconnected, 'health.reconnected-title'),
        stat('health.behind', this.behind, 'health.behind-title'),
      ]),
    );
    this.render(null);
  }

  render(health: RoomHealth | null, phones = health?.phones ?? 0): void {
    this.phones.textContent = formatNumber(phones);
    if (health?.latency) {
      this.latency.textContent = t('health.latency-value', { p50: formatDelay(health.latency.p50), p95: formatDelay(health.latency.p95) });
      this.latency.dataset.level = health.latency.p95 >= VERY_SLOW_MS ? 'bad' : health.latency.p95 >= SLOW_MS ? 'warn' : 'ok';
    } else {
      this.latency.textContent = t('health.after-move');
      delete this.latency.dataset.level;
    }
    this.reconnected.textContent = formatNumber(health?.reconnected ?? 0);
    this.reconnected.dataset.level = (health?.reconnected ?? 0) > Math.max(2, phones * 0.1) ? 'warn' : 'ok';
    this.behind.textContent = formatNumber(health?.behind ?? 0);
    const slow = health?.slowest ?? { websocket: 0, polling: 0 };
    this.slowest.textContent = slow.websocket + slow.polling === 0 ? '–' : t('health.transports', { websocket: slow.websocket, polling: slow.polling });
    this.slowest.dataset.level = slow.polling > 0 ? 'warn' : 'ok';
  }
}
