/** The projector: the Reveal deck itself, driving every phone. */
import './presenter.css';
import { clientId } from '../lib/client-id';
import { createDeck, deckPosition, fetchTalk } from '../lib/deck';
import { $ } from '../lib/dom';
import { icon } from '../lib/icons';
import { forgetPresenterToken, presenterToken } from '../lib/presenter-auth';
import { connect } from '../lib/socket';
import { mountChatWidgets } from '../widgets/chat-widget';
import { mountPresenterWidgets } from '../widgets/presenter-widgets';
import { BlankScreen } from './blank-screen';
import { DeckSync } from './deck-sync';
import { showReactions } from './reactions-layer';
import { SessionsPanel } from './sessions-panel';

async function main(): Promise<void> {
  const status = $('.overlay-status');
  const token = presenterToken();
  const talk = await fetchTalk();
  document.title = `${talk.title} · presenter`;
  const blank = new BlankScreen(document.body);
  const deck = await createDeck($('.reveal'), talk, {
    keyboard: blank.keyBindings(),
    controls: true,
    progress: true,
    slideNumber: 'c/t',
    transition: 'slide',
  });

  if (!token) {
    status.textContent = 'No presenter token: open the presenter URL printed by the server (…/present#token=…).';
    status.classList.add('is-error');
    return;
  }

  const socket = connect(() => ({ role: 'presenter', token, clientId: clientId() }));
  blank.attach(socket);
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

  socket.on('connect', () => status.classList.remove('is-error', 'is-visible'));
  socket.on('disconnect', () => flash(status, 'Reconnecting to the server…', true));
  socket.on('connect_error', (error) => {
    const code = (error as Error & { data?: { code?: string } }).data?.code;
    if (code === 'forbidden' || code === 'invalid') {
      forgetPresenterToken();
      socket.disconnect();
      flash(status, 'The presenter token was refused. Open the presenter URL the server printed.', true);
    } else {
      flash(status, 'Reconnecting to the server…', true);
    }
  });

  const count = $('.audience-count');
  const setCount = (n: number) => count.replaceChildren(icon('mobile-phone'), ` ${n}`);
  socket.on('snapshot', (snapshot) => {
    setCount(snapshot.audience);
    showSpotlight(snapshot.spotlight === null ? null : (snapshot.questions.find((q) => q.id === snapshot.spotlight)?.text ?? null));
  });
  socket.on('audience:count', ({ n }) => setCount(n));
  socket.on('reaction:burst', (burst) => showReactions($('.reactions-layer'), burst));

  const questions = new Map<number, string>();
  socket.on('snapshot', (snapshot) => {
    questions.clear();
    for (const question of snapshot.questions) if (!question.hidden) questions.set(question.id, question.text);
  });
  socket.on('question:updated', (question) => {
    if (question.hidden) questions.delete(question.id);
    else questions.set(question.id, question.text);
  });
  socket.on('question:spotlight', ({ id }) => showSpotlight(id === null ? null : (questions.get(id) ?? null)));

  const sessions = new SessionsPanel(token, socket);
  // C opens the speaker console on a second screen, with the token in its fragment; S lists sessions.
  document.addEventListener('keydown', (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === 'c') window.open(`/present/console#token=${encodeURIComponent(token)}`, 'livedeck-console', 'width=1200,height=800');
    if (key === 's') sessions.toggle();
  });
}

function showSpotlight(text: string | null): void {
  const stage = $('.stage-question');
  stage.hidden = text === null;
  stage.textContent = text ?? '';
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
    status.textContent = 'Could not load the talk. Is the server running?';
    status.classList.add('is-visible', 'is-error');
  }
  console.error(error);
});
