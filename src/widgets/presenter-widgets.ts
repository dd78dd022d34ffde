/** The projector's live widgets: polls as the room sees them, and the race. The poll's controls live in the console. */
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
    const chart = new PollChart(definition);
    element.replaceChildren(chart.element);
    store.subscribe((poll) => {
      if (poll === definition.id) chart.update(store.get(poll));
    });
  }
  mountRaceWidgets(deck, socket);
}
