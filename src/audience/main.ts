/** The phone: follows the presenter's slide; the room panel (chat, Q&A, reactions) lives beside it. */
import './audience.css';
import { clientId } from '../lib/client-id';
import { createDeck, fetchTalk } from '../lib/deck';
import { $ } from '../lib/dom';
import { connect } from '../lib/socket';
import { mountAudienceWidgets } from '../widgets/audience-widgets';
import { mountChatWidgets } from '../widgets/chat-widget';
import { Follower } from './follow';
import { PaceButtons } from './pace-buttons';
import { PauseOverlay } from './pause-overlay';
import { mountPresenterStatus } from './presenter-status';
import { Room } from './room';

async function main(): Promise<void> {
  const status = $('.status');
  const talk = await fetchTalk();
  document.title = talk.title;
  $('.talk-title').textContent = talk.title;

  const deck = await createDeck($('.reveal'), talk, {
    embedded: true,
    controls: false,
    progress: true,
    keyboard: false,
    touch: true,
    overview: false,
    help: false,
    mouseWheel: false,
    // Phones show the presenter's slide the frame the event arrives.
    transition: 'none',
    backgroundTransition: 'none',
    margin: 0.03,
    // Reveal turns decks narrower than 435 px into a scrolling page, which a phone following the presenter must never be.
    scrollActivationWidth: 0,
  });

  const liveButton = $('.btn-live') as HTMLButtonElement;
  const follower = new Follower(deck, (mode) => {
    liveButton.hidden = mode === 'following';
    document.body.classList.toggle('is-behind', mode === 'behind');
  });
  liveButton.addEventListener('click', () => follower.backToLive());
  $('.btn-back').addEventListener('click', () => deck.prev());

  const room = new Room($('.panel'));
  const socket = connect(() => ({ role: 'audience', clientId: clientId(), ...room.handshake() }));
  socket.on('connect', () => {
    status.textContent = 'live';
    document.body.classList.remove('is-offline');
  });
  socket.on('disconnect', () => {
    status.textContent = 'reconnecting…';
    document.body.classList.add('is-offline');
  });
  socket.on('connect_error', () => {
    status.textContent = 'reconnecting…';
    document.body.classList.add('is-offline');
  });
  // While the presenter pauses the phones, slide moves wait behind the pause message.
  const pause = new PauseOverlay($('.deck-frame'), (slide, fromSnapshot) => follower.update(slide, fromSnapshot));
  new PaceButtons(room.reactions, socket);
  mountPresenterStatus($('.topbar'), socket);
  socket.on('snapshot', (snapshot) => {
    pause.set(snapshot.paused);
    pause.slide(snapshot.slide, true);
    room.applySnapshot(snapshot);
  });
  socket.on('slide:changed', (slide) => pause.slide(slide, false));
  socket.on('screen:changed', ({ paused }) => pause.set(paused));
  room.attach(socket);
  mountChatWidgets(document, socket, talk.join.url);
  mountAudienceWidgets(deck, socket, $('.panel'));
}

main().catch((error: unknown) => {
  document.body.classList.add('has-error');
  const status = document.querySelector('.status');
  if (status) status.textContent = 'could not load the talk; pull to refresh';
  console.error(error);
});
