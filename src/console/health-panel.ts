/**
 * The room's health at a glance: phones connected, how long a move takes to
 * reach their screens (p50 / p95, measured from the phones), phones that
 * reconnected in the last minute, phones looking back, and whether the
 * slowest phones are stuck on long-polling. Amber and red say "look here".
 */
import { el } from '../lib/dom';
import type { RoomHealth } from '../shared/protocol';

/** Push latency the room feels: beyond these, the phones lag the projector visibly. */
const SLOW_MS = 500;
const VERY_SLOW_MS = 2000;

const ms = (value: number) => (value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`);

export class HealthPanel {
  private readonly phones = el('dd', { className: 'health-phones' });
  private readonly latency = el('dd', { className: 'health-latency' });
  private readonly reconnected = el('dd', { className: 'health-reconnected' });
  private readonly behind = el('dd', { className: 'health-behind' });
  private readonly slowest = el('dd', { className: 'health-slowest' });

  constructor(root: HTMLElement) {
    const stat = (label: string, value: HTMLElement, title: string) =>
      el('div', { className: 'health-stat', attrs: { title } }, [el('dt', { text: label }), value]);
    root.replaceChildren(
      el('h2', { className: 'panel-title', text: 'Room health' }),
      el('dl', { className: 'health-grid' }, [
        stat('Move → phones', this.latency, 'From your move to the phones’ screens, median and 95th percentile, reported by sampled phones'),
        stat('Phones', this.phones, 'Phones connected now'),
        stat('Slowest phones use', this.slowest, 'Transport of the slowest tenth of the reports: long-polling means a network that blocks WebSockets'),
        stat('Reconnected (1 min)', this.reconnected, 'Phones that dropped and came back in the last minute'),
        stat('Looking back', this.behind, 'Phones looking at an earlier slide'),
      ]),
    );
    this.render(null);
  }

  render(health: RoomHealth | null, phones = health?.phones ?? 0): void {
    this.phones.textContent = String(phones);
    if (health?.latency) {
      this.latency.textContent = `${ms(health.latency.p50)} · p95 ${ms(health.latency.p95)}`;
      this.latency.dataset.level = health.latency.p95 >= VERY_SLOW_MS ? 'bad' : health.latency.p95 >= SLOW_MS ? 'warn' : 'ok';
    } else {
      this.latency.textContent = 'after a move';
      delete this.latency.dataset.level;
    }
    this.reconnected.textContent = String(health?.reconnected ?? 0);
    this.reconnected.dataset.level = (health?.reconnected ?? 0) > Math.max(2, phones * 0.1) ? 'warn' : 'ok';
    this.behind.textContent = String(health?.behind ?? 0);
    const slow = health?.slowest ?? { websocket: 0, polling: 0 };
    this.slowest.textContent = slow.websocket + slow.polling === 0 ? '–' : `${slow.websocket} WebSocket · ${slow.polling} polling`;
    this.slowest.dataset.level = slow.polling > 0 ? 'warn' : 'ok';
  }
}
