/**
 * The spotlighted question on the projector. It takes a band at the bottom
 * of the screen and the slide shrinks to fit above it, so it never covers
 * slide content or Reveal's controls; in the overview it steps aside.
 */
import { t } from '../i18n/i18n';
import type { Deck } from '../lib/deck';
import { el } from '../lib/dom';
import type { LiveClient } from '../lib/socket';
import type { Question } from '../shared/protocol';

export class SpotlightBanner {
  private readonly text = el('p', { className: 'stage-question-text' });
  private readonly who = el('p', { className: 'stage-question-who' });
  private readonly root = el(
    'aside',
    { className: 'stage-question', attrs: { hidden: '', 'aria-live': 'polite', 'aria-label': t('projector.question-on-stage') } },
    [el('p', { className: 'stage-question-label', text: t('projector.question-from-room') }), this.text, this.who],
  );
  /** Questions the room can see, by id: a spotlight event carries only the id. */
  private readonly questions = new Map<number, Question>();
  private spotlight: number | null = null;
  private overview = false;

  constructor(private readonly deck: Deck) {
    document.body.append(this.root);
    deck.on('overviewshown', () => this.setOverview(true));
    deck.on('overviewhidden', () => this.setOverview(false));
    // The band's height follows the text's: a window resize can rewrap it.
    window.addEventListener('resize', () => this.reserve());
  }

  attach(socket: LiveClient): void {
    socket.on('snapshot', (snapshot) => {
      this.questions.clear();
      for (const question of snapshot.questions) if (!question.hidden) this.questions.set(question.id, question);
      this.show(snapshot.spotlight);
    });
    socket.on('question:updated', (question) => {
      if (question.hidden) this.questions.delete(question.id);
      else this.questions.set(question.id, question);
      if (question.id === this.spotlight) this.show(this.spotlight);
    });
    socket.on('question:spotlight', ({ id }) => this.show(id));
  }

  private setOverview(active: boolean): void {
    this.overview = active;
    this.render();
  }

  private show(id: number | null): void {
    this.spotlight = id;
    this.render();
  }

  private render(): void {
    const question = this.spotlight === null ? undefined : this.questions.get(this.spotlight);
    this.text.textContent = question?.text ?? '';
    this.who.textContent = question ? t('projector.asked-by', { name: question.name }) : '';
    this.root.hidden = !question || this.overview;
    this.reserve();
  }

  /** Gives the banner's band to the banner: the deck lays itself out in what is left. */
  private reserve(): void {
    const height = this.root.hidden ? 0 : this.root.offsetHeight;
    const current = document.documentElement.style.getPropertyValue('--stage-reserve');
    if (current === `${height}px`) return;
    document.documentElement.style.setProperty('--stage-reserve', `${height}px`);
    this.deck.layout();
  }
}
