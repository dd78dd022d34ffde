/** The reaction stream: the newest bursts as a line of icons, and totals since the console opened. */
import { formatNumber, t } from '../i18n/i18n';
import { el } from '../lib/dom';
import { reactionIcon, reactionLabel } from '../lib/icons';
import { REACTIONS, type Reaction } from '../shared/limits';
import type { ReactionBurst } from '../shared/protocol';

const RECENT_MAX = 40;

export class ReactionsPanel {
  private readonly totals = new Map<Reaction, number>();
  private recent: Reaction[] = [];
  private readonly stream = el('p', { className: 'reaction-stream', attrs: { 'aria-label': t('reactions.stream') } });
  private readonly totalsLine = el('p', { className: 'reaction-totals' });

  constructor(root: HTMLElement) {
    root.replaceChildren(el('h2', { className: 'panel-title', text: t('reactions.title') }), this.stream, this.totalsLine);
    this.render();
  }

  add(burst: ReactionBurst): void {
    const fresh: Reaction[] = [];
    for (const [emoji, count = 0] of Object.entries(burst.counts) as Array<[Reaction, number | undefined]>) {
      this.totals.set(emoji, (this.totals.get(emoji) ?? 0) + count);
      fresh.push(...Array<Reaction>(Math.min(count, 10)).fill(emoji));
    }
    this.recent = [...fresh, ...this.recent].slice(0, RECENT_MAX);
    this.render();
  }

  private render(): void {
    if (this.recent.length) this.stream.replaceChildren(...this.recent.flatMap((emoji) => [reactionIcon(emoji, reactionLabel(emoji)) ?? '', ' ']));
    else this.stream.textContent = t('reactions.empty');
    this.stream.classList.toggle('is-empty', this.recent.length === 0);
    this.totalsLine.replaceChildren(
      ...REACTIONS.filter((emoji) => this.totals.has(emoji)).map((emoji) =>
        el('span', { className: 'reaction-total' }, [reactionIcon(emoji, reactionLabel(emoji))!, ` ${formatNumber(this.totals.get(emoji) ?? 0)}\u2003`]),
      ),
    );
  }
}
