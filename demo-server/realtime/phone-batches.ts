/**
 * What phones hear of the room's traffic, batched: new chat messages,
 * reactions, question, poll, word-cloud and open-text updates and the
 * counts leave in one `room:batch` frame per window instead of one frame
 * each.
 *
 * Every frame to a phone is one socket write, and at 10,000 phones a chat
 * of 10 messages a second is 100,000 of them a second, more than one
 * process writes (docs/performance.md). A batch costs one write per phone
 * whatever it carries, so the window sets the cost: it grows with the room
 * (PHONE_WRITES_PER_SECOND), up to 250 ms at 10,000 phones, and is 0 in a
 * small room, where a batch leaves as soon as the current turn of the event
 * loop ends (messages committed together still share a frame). The first
 * item after a quiet window leaves at once too: only a busy room waits.
 * Presenter screens are not batched; they hear each event as it happens.
 *
 * A phone's own chat message reaches it in its ack, never in a batch
 * (docs/protocol.md): the batch leaves with the list of who sent what, and
 * the few senders of a window get a copy without their own messages.
 *
 * Order: anything else sent to phones must follow what they are still
 * waiting for, or a phone could hear of a deletion before the message.
 * Whoever sends to phones directly calls `flush()` first (RoomBroadcasts'
 * `broadcast`).
 *
 * Revisions: a batch carries one, the newest of the state updates in it
 * (each stamped as presenter screens' copy of it was: revisions.ts), not
 * one per item. That is enough to order it against a snapshot: a batch no
 * newer than the snapshot holds nothing the snapshot lacks; a newer one is
 * applied again over it, and any of its items older than the snapshot is
 * the latest state of its key as the batch left (later changes ride in
 * later batches, with later revisions).
 */
import type { ChatMessage, PollResults, Question, ReactionBurst, RoomBatch, TextBoard, WordCloud } from '../../src/shared/protocol.js';

/** Frames to phones per second that a room's batches may cost: the window is the room's size over this. */
export const PHONE_WRITES_PER_SECOND = 40_000;
/** The longest a phone waits for a chat message (plus the time to write the batch to every phone). */
export const MAX_BATCH_WINDOW_MS = 250;

/** The window for a room of this many phones: 0 up to 40 phones, 25 ms at 1,000, 250 ms from 10,000. */
export function batchWindowMs(phones: number): number {
  return Math.min(MAX_BATCH_WINDOW_MS, Math.floor((phones * 1000) / PHONE_WRITES_PER_SECOND));
}

/** Socket id → ids of the messages it sent in this batch (they have them in their ack). */
export type BatchSenders = ReadonlyMap<string, ReadonlySet<number>>;

export class PhoneBatches {
  private chat: ChatMessage[] = [];
  private senders = new Map<string, Set<number>>();
  /** Latest state by id; a Map keeps the order of first change. */
  private questions = new Map<number, Question>();
  private polls = new Map<string, PollResults>();
  private clouds = new Map<string, WordCloud>();
  private boards = new Map<string, TextBoard>();
  private reactions: ReactionBurst['counts'] | undefined;
  private hidden: number | undefined;
  private audience: number | undefined;
  private timer: { timeout: NodeJS.Timeout } | { immediate: NodeJS.Immediate } | undefined;
  private lastSent = -Infinity;
  /** The newest revision of the state updates waiting (reactions and counts have none). */
  private rev: number | undefined;

  constructor(
    private readonly send: (batch: RoomBatch, senders: BatchSenders) => void,
    /** Phones in the room, for the window. */
    private readonly phones: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new message; `senderId`: the phone socket that sent it, which has it in its ack already. */
  addChat(message: ChatMessage, senderId?: string, rev?: number): void {
    this.chat.push(message);
    this.revised(rev);
    if (senderId !== undefined) {
      const sent = this.senders.get(senderId) ?? new Set<number>();
      sent.add(message.id);
      this.senders.set(senderId, sent);
    }
    this.schedule();
  }

  updateQuestion(question: Question, rev?: number): void {
    // A later change keeps the place of the first: updates stay in order of first change.
    this.questions.set(question.id, question);
    this.revised(rev);
    this.schedule();
  }

  setHidden(count: number, rev?: number): void {
    this.hidden = count;
    this.revised(rev);
    this.schedule();
  }

  updatePoll(results: PollResults, rev?: number): void {
    this.polls.set(results.poll, results);
    this.revised(rev);
    this.schedule();
  }

  updateCloud(cloud: WordCloud, rev?: number): void {
    this.clouds.set(cloud.poll, cloud);
    this.revised(rev);
    this.schedule();
  }

  updateBoard(board: TextBoard, rev?: number): void {
    this.boards.set(board.poll, board);
    this.revised(rev);
    this.schedule();
  }

  addReactions(counts: ReactionBurst['counts']): void {
    const sum: ReactionBurst['counts'] = { ...this.reactions };
    for (const [emoji, count] of Object.entries(counts) as Array<[keyof typeof counts, number]>) sum[emoji] = (sum[emoji] ?? 0) + count;
    this.reactions = sum;
    this.schedule();
  }

  setAudience(n: number): void {
    this.audience = n;
    this.schedule();
  }

  private revised(rev: number | undefined): void {
    if (rev !== undefined && (this.rev === undefined || rev > this.rev)) this.rev = rev;
  }

  private get empty(): boolean {
    return (
      this.chat.length === 0 &&
      this.questions.size === 0 &&
      this.polls.size === 0 &&
      this.clouds.size === 0 &&
      this.boards.size === 0 &&
      this.reactions === undefined &&
      this.hidden === undefined &&
      this.audience === undefined
    );
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastSent + batchWindowMs(this.phones()) - this.now();
    // A quiet room's first item leaves at the end of this turn, with whatever else this turn adds.
    this.timer = wait > 0 ? { timeout: setTimeout(() => this.flush(), wait).unref() } : { immediate: setImmediate(() => this.flush()) };
  }

  /** Sends what is waiting now (before anything else is sent to phones). */
  flush(): void {
    this.cancel();
    if (this.empty) return;
    const batch: RoomBatch = {};
    if (this.chat.length) batch.chat = this.chat;
    if (this.questions.size) batch.questions = [...this.questions.values()];
    if (this.hidden !== undefined) batch.hidden = this.hidden;
    if (this.polls.size) batch.polls = [...this.polls.values()];
    if (this.clouds.size) batch.clouds = [...this.clouds.values()];
    if (this.boards.size) batch.boards = [...this.boards.values()];
    if (this.reactions) batch.reactions = this.reactions;
    if (this.audience !== undefined) batch.audience = this.audience;
    if (this.rev !== undefined) batch.rev = this.rev;
    const senders = this.senders;
    this.discard();
    this.lastSent = this.now();
    this.send(batch, senders);
  }

  /** Drops what is waiting: the session changed (phones get a snapshot instead), or the server stops. */
  discard(): void {
    this.cancel();
    this.chat = [];
    this.senders = new Map();
    this.questions = new Map();
    this.polls = new Map();
    this.clouds = new Map();
    this.boards = new Map();
    this.reactions = this.hidden = this.audience = this.rev = undefined;
  }

  private cancel(): void {
    if (!this.timer) return;
    if ('timeout' in this.timer) clearTimeout(this.timer.timeout);
    else clearImmediate(this.timer.immediate);
    this.timer = undefined;
  }
}
