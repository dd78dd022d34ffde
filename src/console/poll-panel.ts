/**
 * Polls in the console: the previews show each poll's live bars, as the
 * projector does, and while the current slide holds a poll this panel gives
 * the presenter its controls (Reset, Close voting / Reopen). The projector
 * shows no controls: the room sees results, not buttons.
 */
import { el } from '../lib/dom';
import type { LiveClient } from '../lib/socket';
import { PollChart } from '../widgets/poll-chart';
import { pollDefinitionOf, PollStore, type PollDefinition } from '../widgets/poll-store';
import { RaceWidget } from '../widgets/race-widget';
import '../widgets/widgets.css';

export class PollPanel {
  private readonly store: PollStore;
  private readonly charts = new Map<string, PollChart>();
  private readonly definitions = new Map<string, PollDefinition>();
  private readonly body = el('div', { className: 'poll-panel-body' });

  constructor(
    private readonly root: HTMLElement,
    socket: LiveClient,
    previewSlides: HTMLElement[],
  ) {
    this.store = new PollStore(socket);
    root.replaceChildren(el('h2', { className: 'panel-title', text: 'Poll on this slide' }), this.body);
    root.hidden = true;
    for (const slides of previewSlides) this.mountPreviews(slides);
    this.store.subscribe((poll) => this.charts.get(poll)?.update(this.store.get(poll)));
  }

  /** Read-only bars in a preview deck, and the race's panes at rest (they run on the projector only). */
  private mountPreviews(slides: HTMLElement): void {
    for (const element of slides.querySelectorAll<HTMLElement>('[data-widget="poll"]')) {
      const definition = pollDefinitionOf(element);
      if (!definition) continue;
      this.definitions.set(definition.id, definition);
      const chart = new PollChart(definition);
      element.replaceChildren(chart.element);
      this.store.subscribe((poll) => {
        if (poll === definition.id) chart.update(this.store.get(poll));
      });
    }
    for (const element of slides.querySelectorAll<HTMLElement>('[data-widget="race"]')) new RaceWidget(element);
  }

  /** Called when the console's current slide changes: the panel holds that slide's polls, or hides. */
  showSlide(slide: Element | undefined): void {
    const polls = [...(slide?.querySelectorAll<HTMLElement>('[data-widget="poll"][data-poll]') ?? [])]
      .map((element) => this.definitions.get(element.dataset.poll ?? ''))
      .filter((definition): definition is PollDefinition => definition !== undefined);
    this.root.hidden = polls.length === 0;
    this.body.replaceChildren(...polls.map((definition) => this.chartFor(definition).element));
  }

  private chartFor(definition: PollDefinition): PollChart {
    let chart = this.charts.get(definition.id);
    if (!chart) {
      chart = new PollChart(definition, {
        controls: { reset: () => this.store.reset(definition.id), close: (closed) => this.store.close(definition.id, closed) },
      });
      chart.update(this.store.get(definition.id));
      this.charts.set(definition.id, chart);
    }
    return chart;
  }
}
