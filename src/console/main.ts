/**
 * The speaker console (/present/console): the current and next slide, the
 * notes, the talk timer and the live room, synced both ways with the
 * projector. On a phone in portrait it becomes a clicker (console.css).
 */
import { formatNumber, startLanguage, t, translatePage } from '../i18n/i18n';
import { mountLanguageSwitch } from '../audience/language-switch';
import './console.css';
import { clientId } from '../lib/client-id';
import { fetchTalk } from '../lib/deck';
import { statusLine, watchConnection } from '../lib/connection-status';
import { $ } from '../lib/dom';
import { icon } from '../lib/icons';
import { forgetPresenterToken, presenterFetch, presenterToken } from '../lib/presenter-auth';
import { followLiveTalk } from '../lib/live-talk';
import { errorText } from '../lib/error-text';
import { request } from '../lib/request';
import { connect, type LiveClient } from '../lib/socket';
import { DeckSync } from '../presenter/deck-sync';
import { mountChatWidgets } from '../widgets/chat-widget';
import { planPace } from '../shared/pacing';
import { PollPanel } from './poll-panel';
import { presenterName, setPresenterName } from '../lib/presenter-name';
import { DriveControl } from './drive-control';
import { HealthPanel } from './health-panel';
import { HeldPanel } from './held-panel';
import type { PresenterNotes, PublicTalk } from '../shared/protocol';
import { ChatPanel } from './chat-panel';
import { ConsoleStore } from './console-store';
import { renderNotes } from './notes';
import { Previews } from './previews';
import { QuestionsPanel } from './questions-panel';
import { ReactionsPanel } from './reactions-panel';
import { ScreenControls } from './screen-controls';
import { createSend, type Send } from './send';
import { ServerClock } from './server-clock';
import { TimerPanel } from './timer-panel';

// Presentation clickers send PageUp / PageDown; letters stay free for the deck's own widgets.
const NEXT_KEYS = new Set(['ArrowRight', 'ArrowDown', 'PageDown', ' ']);
const PREV_KEYS = new Set(['ArrowLeft', 'ArrowUp', 'PageUp']);
const BLANK_KEYS = new Set(['b', 'B', '.']);

/**
 * A console that cannot work (no token, a refused one, no server) says so
 * instead of showing empty panels, and says what to do.
 */
function block(title: string, detail: string): void {
  document.body.classList.add('is-blocked');
  const connection = $('.connection');
  connection.textContent = t('console.no-access');
  connection.classList.add('is-error');
  $('.blocked-title').textContent = title;
  $('.blocked-detail').textContent = detail;
  $('.console-blocked').hidden = false;
}

let errorTimer: ReturnType<typeof setTimeout> | undefined;
function showError(message: string, sticky = false): void {
  const box = $('.console-error');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(errorTimer);
  if (!sticky) errorTimer = setTimeout(() => (box.hidden = true), 5000);
}

async function loadNotes(token: string): Promise<PresenterNotes | null> {
  const response = await presenterFetch('/api/presenter/notes', token);
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`GET /api/presenter/notes: ${response.status}`);
  return (await response.json()) as PresenterNotes;
}

function slideNumbering(talk: PublicTalk): (position: { h: number; v: number }) => string {
  const numbers = new Map<string, number>();
  let count = 0;
  talk.outline.forEach((stack, h) => stack.forEach((_slide, v) => numbers.set(`${h}/${v}`, ++count)));
  return ({ h, v }) => {
    const title = talk.outline[h]?.[v]?.title;
    const number = numbers.get(`${h}/${v}`);
    return `${number === undefined ? '?' : t('console.slide-position', { number, count })}${title ? ` · ${title}` : ''}`;
  };
}

/** "End talk": the session closes and every phone shows its handout, until a fresh session starts (the sessions page). */
function mountEndTalk(button: HTMLButtonElement, socket: LiveClient, send: Send): void {
  button.hidden = false;
  button.addEventListener('click', () => {
    if (window.confirm(t('console.end-confirm'))) void send('session:end', {});
  });
  socket.on('snapshot', ({ ended }) => {
    button.disabled = ended;
    button.textContent = t(ended ? 'console.talk-ended' : 'console.end-talk');
  });
}

async function main(): Promise<void> {
  const token = presenterToken();
  const [talk] = await Promise.all([fetchTalk(), startLanguage()]);
  translatePage();
  mountLanguageSwitch($('.console-bar'));
  if (!token) return block(t('console.no-token-title'), t('console.no-token'));
  const sessionsLink = $('.sessions-link');
  sessionsLink.setAttribute('href', `/present/sessions#token=${encodeURIComponent(token)}`);
  if (!talk) {
    // No talk chosen yet: the talks page makes one live (this tab keeps the token).
    location.replace('/present/sessions');
    return;
  }
  document.title = t('console.page-title', { talk: talk.title });
  $('.console-title').textContent = talk.title;
  const notes = await loadNotes(token);
  if (!notes) {
    forgetPresenterToken();
    return block(t('console.refused-title'), `${t('console.refused-old')} ${t('console.no-token')}`);
  }
  // Another talk went live between the two requests: start again with it.
  if (notes.talkId !== talk.id) return location.reload();
  sessionsLink.hidden = false;

  const previews = await Previews.create($('.preview-current'), $('.preview-next'), talk);
  // The name travels with every (re)connection: it makes this console part of its presenter's seat.
  const socket = connect(() => {
    const name = presenterName();
    return { role: 'presenter', token, clientId: clientId(), ...(name ? { name } : {}) };
  });
  followLiveTalk(socket, { talkId: talk.id });
  const clock = new ServerClock();
  const store = new ConsoleStore(clock);
  store.attach(socket);
  const send = createSend(socket, (message) => showError(message));
  mountEndTalk($('.end-talk') as HTMLButtonElement, socket, send);
  mountChatWidgets(document, socket, talk.join.url);

  new DeckSync(
    socket,
    {
      position: () => previews.position(),
      go: ({ h, v, f }) => previews.current.slide(h, v, f),
      onMove: (listener) => previews.onMove(listener),
    },
    (message) => showError(message),
  );

  const timer = new TimerPanel($('.timer-panel'), {
    plan: planPace(talk.duration * 60_000, notes.notes),
    clock,
    control: (action) => void send('timer:control', { action }),
    onPhase: (phase) => store.set({ phase }),
  });
  const drive = new DriveControl($('.drive-bar'), {
    send,
    clock,
    name: presenterName,
    rename: (name) => {
      setPresenterName(name);
      // The seat is chosen at the handshake: reconnect as the new name.
      socket.disconnect().connect();
    },
  });
  const screen = new ScreenControls($('.screen-controls'), send);
  const questions = new QuestionsPanel($('.questions-panel'), {
    send,
    outline: talk.outline,
    // One click moves the deck here; DeckSync sends it to the projector and every phone.
    jump: ({ h, v }) => drive.canDrive() && previews.current.slide(h, v, -1),
    loadMore: async () => {
      const reply = await request(socket, 'question:list', { offset: store.state.room.questions.size });
      if (reply.ok) store.addQuestions(reply.questions, reply.total);
      else showError(errorText(reply.error));
    },
  });
  const chat = new ChatPanel($('.chat-panel'), send);
  new HeldPanel($('.held-panel'), socket, send);
  const reactions = new ReactionsPanel($('.reactions-panel'));
  const health = new HealthPanel($('.health-panel'));
  const polls = new PollPanel($('.poll-panel'), socket, previews.slideRoots);
  store.onBurst((burst) => reactions.add(burst));

  const count = $('.audience-count');
  store.subscribe((state) => {
    drive.render(state);
    health.render(state.health, state.room.audience);
    document.body.classList.toggle('is-follower', !drive.canDrive());
    for (const button of [$('.nav-prev'), $('.nav-next')] as HTMLButtonElement[]) {
      button.title = drive.canDrive() ? '' : t('console.driving-title', { name: drive.driverName() });
    }
    count.replaceChildren(icon('mobile-phone'), ` ${formatNumber(state.room.audience)}`);
    timer.setTimer(state.timer);
    timer.setPace(state.pace);
    screen.render(state);
    questions.render(state);
    chat.render(state);
  });

  const label = slideNumbering(talk);
  const showPosition = () => {
    const position = previews.position();
    $('.slide-label').textContent = label(position);
    renderNotes($('.notes'), notes.notes[position.h]?.[position.v]);
    timer.setPosition(position);
    polls.showSlide(previews.current.getCurrentSlide());
    const next = previews.refreshNext();
    ($('.nav-next') as HTMLButtonElement).disabled = next === 'end';
    $('.preview-label').textContent = t(next === 'fragment' ? 'console.next-fragment' : next === 'end' ? 'console.next-end' : 'console.next-slide');
  };
  previews.onMove(showPosition);
  showPosition();

  // A console that does not drive follows: its keys and buttons say who drives instead of moving the deck.
  const move = (step: 'next' | 'prev') => {
    if (drive.canDrive()) previews.current[step]();
    else showError(t('console.driving-refused', { name: drive.driverName() }));
  };
  $('.nav-prev').addEventListener('click', () => move('prev'));
  $('.nav-next').addEventListener('click', () => move('next'));
  document.addEventListener('keydown', (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey || event.defaultPrevented) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
    // Space on a focused button presses that button, not Next.
    if (event.key === ' ' && target instanceof HTMLButtonElement) return;
    if (NEXT_KEYS.has(event.key)) move('next');
    else if (PREV_KEYS.has(event.key)) move('prev');
    else if (BLANK_KEYS.has(event.key)) screen.toggleBlank();
    else return;
    event.preventDefault();
  });

  const connection = $('.connection');
  const status = statusLine(connection);
  watchConnection(socket, {
    online: () => {
      status.online();
      connection.classList.remove('is-error');
    },
    offline: status.offline,
    refused: () => {
      forgetPresenterToken();
      block(t('console.refused-title'), `${t('console.refused-replaced')} ${t('console.no-token')}`);
    },
  });
}

main().catch((error: unknown) => {
  block(t('console.load-failed-title'), t('console.load-failed'));
  console.error(error);
});
