/** The projector's live widgets: polls with the presenter's controls, and the race. */
import type { Deck } from '../lib/deck';
import type { LiveClient } from '../lib/socket';
import { PollChart } from './poll-chart';
import { pollDefinitionOf, PollStore } from './poll-store';
import { mountRaceWidgets } from './race-widget';
import './widgets.css';

export function mountPresenterWidgets(deck: Deck, socket: LiveClient): void {
  const slides = deck.getSlidesElement()!;
  const store = new PollStore(socket);
  for (const element of slides.querySelectorAll<HTMLElement>('[data-widget="poll"]')) {
    const definition = pollDefinitionOf(element);
    if (!definition) continue;
    const chart = new PollChart(definition, {
      controls: { reset: () => store.reset(definition.id), close: (closed) => store.close(definition.id, closed) },
    });
    element.replaceChildren(chart.element);
    store.subscribe((poll) => {
      if (poll === definition.id) chart.update(store.get(poll));
    });
  }
  mountRaceWidgets(deck, socket);
}
