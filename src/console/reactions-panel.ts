/** The reaction stream: the newest bursts as a line of emoji, and totals since the console opened. */
import { el } from '../lib/dom';
import { REACTIONS, type Reaction } from '../shared/limits';
import type { ReactionBurst } from '../shared/protocol';

const RECENT_MAX = 40;

export class ReactionsPanel {
  private readonly totals = new Map<Reaction, number>();
  private recent: string[] = [];
  private readonly stream = el('p', { className: 'reaction-stream', attrs: { 'aria-label': 'Newest reactions first' } });
  private readonly totalsLine = el('p', { className: 'reaction-totals' });

  constructor(root: HTMLElement) {
    root.replaceChildren(el('h2', { className: 'panel-title', text: 'Reactions' }), this.stream, this.totalsLine);
    this.render();
  }

  add(burst: ReactionBurst): void {
    const fresh: string[] = [];
    for (const [emoji, count = 0] of Object.entries(burst.counts) as Array<[Reaction, number | undefined]>) {
      this.totals.set(emoji, (this.totals.get(emoji) ?? 0) + count);
      fresh.push(...Array<string>(Math.min(count, 10)).fill(emoji));
    }
    this.recent = [...fresh, ...this.recent].slice(0, RECENT_MAX);
    this.render();
  }

  private render(): void {
    this.stream.textContent = this.recent.length ? this.recent.join(' ') : 'Waiting for the first reaction…';
    this.stream.classList.toggle('is-empty', this.recent.length === 0);
    this.totalsLine.textContent = REACTIONS.filter((emoji) => this.totals.has(emoji))
      .map((emoji) => `${emoji} ${this.totals.get(emoji)}`)
      .join('   ');
  }
}
