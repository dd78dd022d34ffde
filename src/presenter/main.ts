/** The projector: the Reveal deck itself, driving every phone. What it shows is for the room; admin lives in the console. */
import { startLanguage, t } from '../i18n/i18n';
import './presenter.css';
import { clientId } from '../lib/client-id';
import { createDeck, deckPosition, fetchTalk } from '../lib/deck';
import { watchConnection } from '../lib/connection-status';
import { $ } from '../lib/dom';
import { forgetPresenterToken, presenterToken } from '../lib/presenter-auth';
import { presenterName } from '../lib/presenter-name';
import { followLiveTalk } from '../lib/live-talk';
import { connect } from '../lib/socket';
import { mountChatWidgets } from '../widgets/chat-widget';
import { mountPresenterWidgets } from '../widgets/presenter-widgets';
import { AudienceBadge } from './audience-badge';
import { BlankScreen } from './blank-screen';
import { DeckSync } from './deck-sync';
import { showReactions } from './reactions-layer';
import { SpotlightBanner } from './spotlight-banner';
import { projectorConfig } from './stage';

async function main(): Promise<void> {
  const status = $('.overlay-status');
  const token = presenterToken();
  const [talk] = await Promise.all([fetchTalk(), startLanguage()]);
  if (!talk) {
    // No talk chosen yet: the presenter's home, where one is made live (the token stays in this tab).
    location.replace('/present/sessions');
    return;
  }
  document.title = t('projector.page-title', { talk: talk.title });
  const blank = new BlankScreen(document.body);
  const deck = await createDeck($('.reveal'), talk, projectorConfig(blank.keyBindings()));

  if (!token) {
    status.textContent = t('projector.no-token');
    status.classList.add('is-error');
    return;
  }

  // The same name as this browser's console: projector and console are one presenter's seat and drive together.
  const socket = connect(() => {
    const name = presenterName();
    return { role: 'presenter', token, clientId: clientId(), ...(name ? { name } : {}) };
  });
  followLiveTalk(socket, { talkId: talk.id });
  blank.attach(socket);
  // The talk's front matter may keep the room's size off the projector (`audience-count: false`).
  if (talk.options.audienceCount) new AudienceBadge(document.body).attach(socket);
  new SpotlightBanner(deck).attach(socket);
  mountChatWidgets(document, socket, talk.join.url);
  mountPresenterWidgets(deck, socket);
  new DeckSync(
    socket,
    {
      position: () => deckPosition(deck),
      go: ({ h, v, f }) => deck.slide(h, v, f),
      onMove: (listener) => {
        for (const event of ['slidechanged', 'fragmentshown', 'fragmenthidden']) deck.on(event, listener);
      },
    },
    (message) => flash(status, message),
  );

  watchConnection(socket, {
    online: () => status.classList.remove('is-error', 'is-visible'),
    offline: () => flash(status, t('projector.reconnecting'), true),
    refused: () => {
      forgetPresenterToken();
      flash(status, t('projector.refused'), true);
    },
  });
  socket.on('reaction:burst', (burst) => showReactions($('.reactions-layer'), burst));

  // C opens the speaker console on a second screen, with the token in its fragment (sessions and exports live there).
  document.addEventListener('keydown', (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (event.key.toLowerCase() === 'c') window.open(`/present/console#token=${encodeURIComponent(token)}`, 'livedeck-console', 'width=1280,height=800');
  });
}

let flashTimer: ReturnType<typeof setTimeout> | undefined;
function flash(status: HTMLElement, message: string, sticky = false): void {
  status.textContent = message;
  status.classList.add('is-visible');
  clearTimeout(flashTimer);
  if (!sticky) flashTimer = setTimeout(() => status.classList.remove('is-visible'), 4000);
}

main().catch((error: unknown) => {
  const status = document.querySelector('.overlay-status');
  if (status) {
    status.textContent = t('projector.load-failed');
    status.classList.add('is-visible', 'is-error');
  }
  console.error(error);
});
