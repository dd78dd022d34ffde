/** The projector's live widgets: every poll as the room sees it (results, clouds, shown answers), and the race. Controls live in the console. */
import type { Deck } from '../lib/deck';
import type { LiveClient } from '../lib/socket';
import { mountPollWidgets } from './poll-widget';
import { PollStore } from './poll-store';
import { mountRaceWidgets } from './race-widget';
import './widgets.css';

export function mountPresenterWidgets(deck: Deck, socket: LiveClient): void {
  mountPollWidgets(deck.getSlidesElement()!, new PollStore(socket), 'room');
  mountRaceWidgets(deck, socket);
}
