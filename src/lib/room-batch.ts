/**
 * Phones hear the room's traffic in batches (`room:batch`, one frame per
 * short window in a big room; docs/protocol.md, "Batches"). This turns each
 * batch back into the events it stands for, in the batch's order, and hands
 * them to the same listeners as the events sent one by one (presenter
 * screens get those), so every page and widget handles both with one
 * listener per event. A page that renders should do so once per task, not
 * once per event (the phone's room panel does): a batch arrives as one task.
 * Each state event it stands for carries the batch's revision, as the
 * event sent alone carries its own, so stores order both the same way
 * around a snapshot (revision-log.ts).
 */
import type { ChatMessage, PollResults, Question, ReactionBurst, Revised, RoomBatch, ServerToClientEvents, TextBoard, WordCloud } from '../shared/protocol';

/** What a socket needs for this: the typed listeners of an event (socket.io-client's `listeners`). */
interface BatchTarget {
  on(event: 'room:batch', listener: (batch: RoomBatch) => void): unknown;
  listeners<E extends keyof ServerToClientEvents>(event: E): Array<ServerToClientEvents[E]>;
}

/** One event a batch stands for: its name and payload. */
export type BatchedEvent =
  | ['chat:message', ChatMessage & Revised]
  | ['question:updated', Question & Revised]
  | ['questions:hidden', { count: number } & Revised]
  | ['poll:results', PollResults & Revised]
  | ['words:cloud', WordCloud & Revised]
  | ['text:board', TextBoard & Revised]
  | ['reaction:burst', ReactionBurst]
  | ['audience:count', { n: number }];

/** The events of one batch, in the order a client applies them. */
export function eventsOf(batch: RoomBatch): BatchedEvent[] {
  const { rev } = batch;
  const revised = <T extends object>(payload: T): T & Revised => (rev === undefined ? payload : { ...payload, rev });
  const events: BatchedEvent[] = [];
  for (const message of batch.chat ?? []) events.push(['chat:message', revised(message)]);
  for (const question of batch.questions ?? []) events.push(['question:updated', revised(question)]);
  if (batch.hidden !== undefined) events.push(['questions:hidden', revised({ count: batch.hidden })]);
  for (const results of batch.polls ?? []) events.push(['poll:results', revised(results)]);
  for (const cloud of batch.clouds ?? []) events.push(['words:cloud', revised(cloud)]);
  for (const board of batch.boards ?? []) events.push(['text:board', revised(board)]);
  if (batch.reactions) events.push(['reaction:burst', { counts: batch.reactions }]);
  if (batch.audience !== undefined) events.push(['audience:count', { n: batch.audience }]);
  return events;
}

function deliver(socket: BatchTarget, [event, payload]: BatchedEvent): void {
  // A copy: a listener may remove itself (or add another) while this runs, as it could for a single event.
  for (const listener of [...socket.listeners(event)]) (listener as (payload: BatchedEvent[1]) => void)(payload);
}

/** From now on, every `room:batch` this socket receives reaches its listeners as the events it carries. */
export function unpackBatches(socket: BatchTarget): void {
  socket.on('room:batch', (batch) => {
    for (const event of eventsOf(batch)) deliver(socket, event);
  });
}
