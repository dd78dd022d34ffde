/**
 * The chat micro-benchmark's server half (issue "Durable talks"): how many
 * chat messages per second one process can persist and broadcast. It runs
 * the chat handler's own work (ban check, `storage.addChat` with its group
 * commit, then one `chat:message` broadcast) without the wire decoding and
 * the per-person rate limit, which would cap the figure long before the disk
 * or the sockets do.
 */
import type { ChatMessage } from '../src/shared/protocol.js';
import type { LiveDeckServer } from '../demo-server/server.js';
import type { ChatBurstResult, ChatBurstSpec } from './messages.js';
import { now } from './stats.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function chatBurst(server: LiveDeckServer, spec: ChatBurstSpec): Promise<ChatBurstResult> {
  const { room, io } = server;
  const startAt = now();
  const deadline = startAt + spec.durationMs;
  let sent = 0;
  let fakeId = 1e9;
  const lane = async (lane: number) => {
    const authorId = `burst${lane}`;
    while (now() < deadline) {
      let message: ChatMessage;
      const text = `burst message ${sent} from lane ${lane}`;
      if (spec.persist) {
        if (await room.storage.isBanned(room.talk.id, authorId)) throw new Error('banned');
        message = await room.storage.addChat(room.sessionId, { authorId, name: 'Bench', text, ts: Date.now() });
      } else {
        // Same event-loop rhythm as a group commit (one batch per turn), without the disk.
        await nextTurn();
        message = { id: ++fakeId, authorId, name: 'Bench', text, ts: Date.now() };
      }
      if (spec.broadcast) io.emit('chat:message', message);
      sent++;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, (_, index) => lane(index)));
  return { sent, startAt, endAt: now() };
}
