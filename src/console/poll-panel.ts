/**
 * Polls in the console: the previews show every poll as the projector does
 * (bars, scales, word clouds, shown answers), and while the current slide
 * holds one this panel gives the presenter its controls: Reset and Close
 * voting / Reopen for every kind, and for word clouds and open text the
 * moderation (remove words; show, hide answers). The projector shows no
 * controls: the room sees results, not buttons.
 */
import { el } from '../lib/dom';
import type { LiveClient } from '../lib/socket';
import { t } from '../i18n/i18n';
import { createPollWidget, mountPollWidgets, type PollWidget } from '../widgets/poll-widget';
import { pollDefinitionsIn, PollStore } from '../widgets/poll-store';
import { RaceWidget } from '../widgets/race-widget';
import '../widgets/widgets.css';

export class PollPanel {
  private readonly store: PollStore;
  private readonly widgets = new Map<string, PollWidget>();
  private readonly title = el('h2', { className: 'panel-title' });
  private readonly body = el('div', { className: 'poll-panel-body' });

  constructor(
    private readonly root: HTMLElement,
    socket: LiveClient,
    previewSlides: HTMLElement[],
  ) {
    this.store = new PollStore(socket);
    root.replaceChildren(this.title, this.body);
    root.hidden = true;
    for (const slides of previewSlides) {
      mountPollWidgets(slides, this.store, 'room');
      // The race's panes at rest: they run on the projector only.
      for (const element of slides.querySelectorAll<HTMLElement>('[data-widget="race"]')) new RaceWidget(element);
    }
    this.store.subscribe((poll) => this.widgets.get(poll)?.update());
  }

  /** Called when the console's current slide changes: the panel holds that slide's polls, or hides. */
  showSlide(slide: Element | undefined): void {
    const found = slide ? pollDefinitionsIn(slide) : [];
    this.root.hidden = found.length === 0;
    const kind = found[0]?.definition.kind;
    this.title.textContent =
      kind === 'words'
        ? t('console.panel-words')
        : kind === 'text'
          ? t('console.panel-text')
          : kind === 'scale'
            ? t('console.panel-scale')
            : t('console.panel-poll');
    this.body.replaceChildren(
      ...found.map(({ definition }) => {
        let widget = this.widgets.get(definition.id);
        if (!widget) {
          widget = createPollWidget(definition, this.store, 'console');
          this.widgets.set(definition.id, widget);
        }
        widget.update();
        return widget.element;
      }),
    );
    this.root.dataset.kind = kind ?? '';
  }
}
