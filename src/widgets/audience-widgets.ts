/**
 * A phone's live widgets: polls, scales, word clouds and open text it
 * answers (in the slide, and in the panel card while the widget is live),
 * and the race's ping button. The race's panes run on the projector only: a
 * phone has no business polling the server.
 */
import { t } from '../i18n/i18n';
import type { SlideDeck } from '../lib/slides';
import { el } from '../lib/dom';
import type { LiveClient } from '../lib/socket';
import { LiveCard } from './live-card';
import { LiveSlide } from './live-slide';
import { mountPollWidgets } from './poll-widget';
import { PollStore } from './poll-store';

export function mountAudienceWidgets(deck: SlideDeck, socket: LiveClient, panel: HTMLElement): void {
  const slides = deck.getSlidesElement()!;
  const store = new PollStore(socket);
  mountPollWidgets(slides, store, 'phone');
  for (const element of slides.querySelectorAll<HTMLElement>('[data-widget="race"]')) {
    element.replaceChildren(el('p', { className: 'race-phone-hint', text: t('race.phone-hint') }));
  }
  panel.prepend(new LiveCard(new LiveSlide(deck, socket), store, socket).element);
}
