/** The phone: follows the presenter's slide; the room panel (chat, Q&A) and the feedback bar live beside it. */
import './audience.css';
import { startLanguage, t, translatePage } from '../i18n/i18n';
import { clientId } from '../lib/client-id';
import { statusLine, watchConnection } from '../lib/connection-status';
import { $ } from '../lib/dom';
import { followLivePosition } from '../lib/live-position';
import { followLiveTalk } from '../lib/live-talk';
import { fetchTalk } from '../lib/slides';
import { connect, type LiveClient } from '../lib/socket';
import { mountAudienceWidgets } from '../widgets/audience-widgets';
import { mountChatWidgets } from '../widgets/chat-widget';
import { FeedbackBar } from './feedback-bar';
import { mountLanguageSwitch } from './language-switch';
import { Follower } from './follow';
import { PauseOverlay } from './pause-overlay';
import { PhoneDeck } from './phone-deck';
import { mountPresenterStatus } from './presenter-status';
import { Room } from './room';
import { RoomReport } from './room-report';
import { SlideFrame } from './slide-frame';
import { loadSlideStyles } from './slide-styles';

/** The live position the server rendered this page at ("h.v.f"), so the first frame is already the right slide. */
function renderedPosition(): { h: number; v: number; f: number } {
  const [h = 0, v = 0, f = -1] = (document.body.dataset.slide ?? '').split('.').map(Number);
  return [h, v, f].every(Number.isInteger) ? { h, v, f } : { h: 0, v: 0, f: -1 };
}

/** No talk is live yet: say so, and load the page again when the presenter makes one live. */
function waitForTalk(status: HTMLElement): LiveClient {
  document.body.classList.add('is-waiting');
  status.textContent = t('phone.status-waiting');
  const slide = $('.phone-deck .slides section.present');
  slide.replaceChildren();
  slide.append(Object.assign(document.createElement('h2'), { textContent: t('phone.starts-soon') }));
  slide.append(Object.assign(document.createElement('p'), { textContent: t('phone.starts-soon-hint') }));
  const socket = connect(() => ({ role: 'audience', clientId: clientId() }));
  followLiveTalk(socket, { talkId: null });
  return socket;
}

/**
 * Resolves once the browser has painted a frame, or at once in a tab nobody sees (no frames are
 * drawn there). No timeout in a visible tab: a phone busy starting up paints late, and building the
 * deck before that paint would make the deck, not the server's first frame, what the phone shows first.
 */
function afterFirstPaint(): Promise<void> {
  if (document.visibilityState === 'hidden') return Promise.resolve();
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Lets the browser paint and answer taps between the steps of starting up, so none of them is a long task. */
const yieldToMain = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function main(): Promise<void> {
  // The talk has ended (or this is a past talk's handout): the take-away replaces the live page, loaded only then.
  if (document.body.classList.contains('is-handout')) {
    const [{ showHandout }] = await Promise.all([import('../handout/handout'), startLanguage()]);
    translatePage();
    mountLanguageSwitch($('.topbar'));
    return showHandout(document.body);
  }
  const status = $('.status');
  const talkLoaded = fetchTalk();
  const languageChosen = startLanguage();
  // The server rendered the live slide's title: let it paint before the deck is built over it.
  await afterFirstPaint();
  const [talk] = await Promise.all([talkLoaded, languageChosen]);
  translatePage();
  mountLanguageSwitch($('.topbar'));
  if (!talk) {
    waitForTalk(status);
    return;
  }
  document.title = talk.title;
  $('.talk-title').textContent = talk.title;

  const deck = new PhoneDeck($('.phone-deck'), talk);
  const styles = loadSlideStyles(deck);
  const start = renderedPosition();
  await Promise.all([styles.ready(start), yieldToMain()]);
  deck.slide(start.h, start.v, start.f);

  const report = new RoomReport(deck);
  const follower = new Follower(deck, (mode) => {
    frame.setMode(mode);
    report.setBehind(mode === 'behind');
  });
  follower.startAt(start);
  const frame = new SlideFrame($('.deck-frame'), deck, { backToLive: () => follower.backToLive() });
  frame.setMode('following');
  // The slide is on screen: let it paint (and the phone answer a tap) before the room is built.
  await yieldToMain();
  const room = new Room($('.panel'));
  await yieldToMain();
  const socket = connect(() => ({ role: 'audience', clientId: clientId(), ...room.handshake() }));
  // The presenter made another talk live, or ended this one: the page loads what is live (a talk, or its handout).
  followLiveTalk(socket, { talkId: talk.id, ended: false });
  watchConnection(socket, statusLine(status));
  // While the presenter pauses the phones, slide moves wait behind the pause message.
  const pause = new PauseOverlay($('.deck-frame'), (slide, fromSnapshot) => follower.update(slide, fromSnapshot));
  new FeedbackBar($('.feedback-bar'), socket, talk.options.reactions);
  mountPresenterStatus($('.topbar'), socket);
  followLivePosition(socket, {
    slide: (slide, fromSnapshot) => {
      styles.live(slide);
      pause.slide(slide, fromSnapshot);
    },
    paused: (paused) => pause.set(paused),
  });
  room.attach(socket);
  report.attach(socket);
  mountChatWidgets(document, socket, talk.join.url);
  mountAudienceWidgets(deck, socket, $('.panel'));
}

main().catch((error: unknown) => {
  document.body.classList.add('has-error');
  const status = document.querySelector('.status');
  if (status) status.textContent = t('phone.load-failed');
  console.error(error);
});
