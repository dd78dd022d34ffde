/**
 * Slow consumers: a phone that stops reading (a frozen tab, a script that
 * never reads) makes every broadcast pile up for it in the server's memory.
 * A periodic check adds up what each connection still has to send and drops
 * the connection past a cap; the phone, if it is a phone, reconnects and
 * gets a fresh snapshot.
 *
 * Where bytes wait: Engine.IO queues packets in the socket's `writeBuffer`
 * while its transport is busy (over WebSocket, until the previous send's
 * callback, which waits for the kernel to take the bytes), and `ws` holds
 * what it handed to a full TCP socket in `bufferedAmount`.
 */
import type { Logger } from 'pino';
import type { Server as EngineServer, Socket as EngineSocket } from 'engine.io';

export interface SlowConsumerOptions {
  /** Buffered bytes past which a connection is dropped. */
  maxBufferedBytes: number;
  checkEveryMs: number;
}

interface QueuedPacket {
  data?: unknown;
}

/** The parts of Engine.IO's socket and transport this check reads (not in its public typings). */
interface EngineInternals {
  writeBuffer: QueuedPacket[];
  transport: { name: string; socket?: { bufferedAmount?: number; terminate?: () => void } };
}

function byteLength(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** Bytes this engine connection holds for its peer (strings counted in UTF-16 units, close enough for a cap). */
export function bufferedBytes(socket: EngineSocket): number {
  const internals = socket as unknown as EngineInternals;
  let bytes = 0;
  for (const packet of internals.writeBuffer) bytes += byteLength(packet.data);
  const ws = internals.transport.socket;
  if (ws && typeof ws.bufferedAmount === 'number') bytes += ws.bufferedAmount;
  return bytes;
}

/** Drops the connection without waiting for its buffer to drain (that is the point). */
function drop(socket: EngineSocket): void {
  const ws = (socket as unknown as EngineInternals).transport.socket;
  if (ws?.terminate) ws.terminate();
  else socket.close(true);
}

export class SlowConsumerGuard {
  private readonly timer: NodeJS.Timeout;
  private readonly sockets = new Set<EngineSocket>();
  private dropped = 0;

  constructor(
    engine: EngineServer,
    private readonly options: SlowConsumerOptions,
    private readonly logger: Logger,
  ) {
    // One 'close' listener shared by every connection (`this` is the closing socket; it closes once).
    const sockets = this.sockets;
    const forget = function (this: EngineSocket) {
      sockets.delete(this);
    };
    engine.on('connection', (socket: EngineSocket) => {
      this.sockets.add(socket);
      socket.on('close', forget);
    });
    this.timer = setInterval(() => this.check(), options.checkEveryMs).unref();
  }

  /** Connections dropped so far (for health and tests). */
  get droppedCount(): number {
    return this.dropped;
  }

  check(): void {
    for (const socket of this.sockets) {
      const bytes = bufferedBytes(socket);
      if (bytes <= this.options.maxBufferedBytes) continue;
      this.dropped++;
      this.logger.warn({ engine: (socket as unknown as { id: string }).id, bufferedBytes: bytes }, 'slow consumer dropped');
      drop(socket);
    }
  }

  /**
   * Resolves once every connection has handed its queued packets to its
   * transport (or after `timeoutMs`). A shutdown waits for this before
   * closing the engine, which discards whatever is still queued, such as
   * the ack of the last event that finished.
   */
  async flush(timeoutMs: number): Promise<void> {
    const pending = [...this.sockets].filter((socket) => (socket as unknown as EngineInternals).writeBuffer.length > 0);
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(pending.map((socket) => new Promise((resolve) => socket.once('drain', resolve)))),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
