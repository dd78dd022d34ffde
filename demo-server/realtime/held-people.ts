/**
 * People held for the presenter's approval (issue 18, item 5). A ban marks
 * the banned person's addresses for the session; someone first seen after
 * it, writing from a marked address (a private tab of the banned person, or
 * a neighbour on their network), is held: their messages and questions are
 * stored but wait in the presenter's console instead of reaching the room.
 * People known in the session when the ban came are never held: a venue NAT
 * puts the whole room behind one address.
 *
 * Everything is decided from storage (the marks, who is known or held), so
 * every process of a scaled-out room agrees and a restart forgets nothing.
 * Addresses are stored as keyed hashes (`addressKeyOf`), never as they are.
 */
import type { Logger } from 'pino';
import type { ChatMessage, HeldPerson, SocketData } from '../../src/shared/protocol.js';
import type { AddressMark, NewChatMessage, TalkStorage } from '../storage/storage.js';
import { AUDIENCE_ROOM, PRESENTER_ROOM, type LiveServer, type LiveSocket } from './live-server.js';
import { refusalError } from './wire-error.js';

/** Messages one held person may have waiting: past it they wait for the presenter before sending more. */
export const HELD_MESSAGES_MAX = 20;
/** People the console lists (longest waiting first); a held person past it still waits, and shows once others are dealt with. */
export const HELD_PEOPLE_SHOWN = 50;

export interface HeldPeopleDeps {
  storage: TalkStorage;
  io: LiveServer;
  logger: Logger;
  sessionId: () => number;
  now: () => number;
  authorIdOf: (clientId: string) => string;
  addressKeyOf: (ip: string) => string;
}

export class HeldPeople {
  /** Sockets found free in a session: a connected socket is known at any later mark, so it stays free. */
  private readonly free = new WeakMap<LiveSocket, number>();
  private announcing: Promise<void> | undefined;
  private announceAgain = false;

  constructor(private readonly deps: HeldPeopleDeps) {}

  /** Whether what this socket sends waits for the presenter; presenters are never held. */
  async isHeld(socket: LiveSocket): Promise<boolean> {
    const { role, ip, authorId } = socket.data;
    if (role === 'presenter') return false;
    const sessionId = this.deps.sessionId();
    if (this.free.get(socket) === sessionId) return false;
    const state = await this.deps.storage.holdState(sessionId, this.deps.addressKeyOf(ip), authorId);
    if (state === 'free') this.free.set(socket, sessionId);
    return state === 'held';
  }

  /** Holds the sender of a question, when they are to be held: their question then waits as pending. */
  async holdsQuestion(socket: LiveSocket): Promise<boolean> {
    if (!(await this.isHeld(socket))) return false;
    return this.deps.storage.holdPerson(this.deps.sessionId(), socket.data.authorId, this.deps.now());
  }

  /** Keeps a held sender's message for the presenter; null when the sender is not held (the caller publishes it). */
  async holdChat(socket: LiveSocket, message: NewChatMessage): Promise<ChatMessage | null> {
    if (!(await this.isHeld(socket))) return null;
    const sessionId = this.deps.sessionId();
    const { chat } = await this.deps.storage.heldPeople(sessionId);
    if (chat.filter((waiting) => waiting.authorId === message.authorId).length >= HELD_MESSAGES_MAX) {
      throw refusalError('held_full', `you have ${HELD_MESSAGES_MAX} messages waiting for the presenter: wait until they are approved`, {
        count: HELD_MESSAGES_MAX,
      });
    }
    const held = await this.deps.storage.addHeldChat(sessionId, message);
    if (!held) return null;
    this.announce();
    return { ...held, held: true };
  }

  /**
   * What a ban marks: the addresses of the banned person's phones, and
   * everyone known in the session now: every phone connected (on any
   * process) and everyone who took part (wrote, asked, voted, answered).
   */
  async markFor(banned: string, phones: SocketData[]): Promise<AddressMark> {
    const { storage } = this.deps;
    const sessionId = this.deps.sessionId();
    const [chat, questions, voterKeys, entries] = await Promise.all([
      storage.allChat(sessionId),
      storage.listQuestions(sessionId),
      storage.voterKeys(sessionId),
      storage.pollEntries(sessionId),
    ]);
    const known = new Set<string>([
      ...phones.map((phone) => phone.authorId),
      ...chat.map((message) => message.authorId),
      ...questions.map((question) => question.authorId),
      ...voterKeys.map((key) => this.deps.authorIdOf(key)),
      ...entries.map((entry) => entry.authorId),
    ]);
    known.delete(banned);
    const addressKeys = new Set(phones.filter((phone) => phone.authorId === banned).map((phone) => this.deps.addressKeyOf(phone.ip)));
    return { addressKeys: [...addressKeys], known: [...known] };
  }

  /** The people waiting, with what they sent (questions waiting for approval), for the console. */
  async list(): Promise<HeldPerson[]> {
    const sessionId = this.deps.sessionId();
    const { authorIds, chat } = await this.deps.storage.heldPeople(sessionId);
    if (authorIds.length === 0) return [];
    const shown = authorIds.slice(0, HELD_PEOPLE_SHOWN);
    const people = new Map<string, HeldPerson>(shown.map((authorId) => [authorId, { authorId, name: '', chat: [], questions: [] }]));
    for (const message of chat) people.get(message.authorId)?.chat.push(message);
    for (const question of await this.deps.storage.listQuestions(sessionId)) {
      if (question.pending && !question.hidden) people.get(question.authorId)?.questions.push(question);
    }
    for (const person of people.values()) {
      const latest = [...person.chat, ...person.questions].sort((a, b) => a.ts - b.ts).at(-1);
      person.name = latest?.name ?? '';
    }
    return [...people.values()];
  }

  /** A held phone's own waiting messages, for its snapshot (empty for everyone else). */
  async waitingFor(data: SocketData): Promise<ChatMessage[]> {
    if (data.role === 'presenter') return [];
    const { authorIds, chat } = await this.deps.storage.heldPeople(this.deps.sessionId());
    if (!authorIds.includes(data.authorId)) return [];
    return chat.filter((message) => message.authorId === data.authorId);
  }

  /** Tells a person's phones (on every process) that the presenter approved them. */
  async approved(authorId: string): Promise<void> {
    const phones = await this.deps.io.in(AUDIENCE_ROOM).fetchSockets();
    for (const phone of phones) if (phone.data.authorId === authorId) phone.emit('hold:approved', {});
  }

  /**
   * Sends every presenter screen the list as it is in storage. One at a
   * time: changes meanwhile are sent once, after it, with the list as it is then.
   */
  announce(): void {
    if (this.announcing) {
      this.announceAgain = true;
      return;
    }
    this.announcing = (async () => {
      do {
        this.announceAgain = false;
        try {
          this.deps.io.to(PRESENTER_ROOM).emit('hold:changed', { people: await this.list() });
        } catch (error) {
          this.deps.logger.warn({ err: error }, 'could not list held people');
        }
      } while (this.announceAgain);
    })().finally(() => (this.announcing = undefined));
  }
}
