/**
 * What a livedeck process needs to share a talk with other processes
 * through one Redis (REDIS_URL): the Redis storage, Socket.IO's Redis
 * Streams adapter (broadcasts reach every process's sockets, and connection
 * state recovery works across processes), Redis-backed rate limits, and
 * the process's view of its Redis connection for /healthz.
 *
 * Two connections: the storage's refuses commands while Redis is down (an
 * `unavailable` ack at once), the adapter's queues them (a broadcast goes
 * out late rather than never; the adapter resumes its stream where it left).
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import type { SharedRateLimits } from './realtime/rate-limits.js';
import { checkDurability, connectRedis, DEFAULT_KEY_PREFIX, openRedisStorage, type RedisClient } from './storage/redis.js';
import type { TalkStorage } from './storage/storage.js';

export interface ScaleOut {
  storage: TalkStorage;
  adapter: ReturnType<typeof createAdapter>;
  rateLimits: SharedRateLimits;
  /** Both connections up. */
  readonly redisUp: boolean;
  /** Called each time Redis comes back after an outage (to catch up on what was missed). */
  onReconnect(listener: () => void): void;
  /** After io.close(): closes both connections. */
  close(): Promise<void>;
}

export async function scaleOut(url: string, logger: Logger, prefix = DEFAULT_KEY_PREFIX): Promise<ScaleOut> {
  const storageClient = await connectRedis({ url, logger, role: 'storage', offlineQueue: false });
  let adapterClient: RedisClient | undefined;
  let storage: TalkStorage;
  try {
    adapterClient = await connectRedis({ url, logger, role: 'adapter', offlineQueue: true });
    await checkDurability(storageClient, logger);
    storage = await openRedisStorage(storageClient, { prefix });
  } catch (error) {
    storageClient.destroy();
    adapterClient?.destroy();
    throw error;
  }
  guardPublish(adapterClient);
  const adapter = createAdapter(adapterClient, {
    streamName: `${prefix}socket.io`,
    channelPrefix: `${prefix}socket.io`,
    sessionKeyPrefix: `${prefix}sio-session:`,
    // Every livedeck payload is JSON: skip the per-packet scan for binary attachments.
    onlyPlaintext: true,
  });

  const listeners: Array<() => void> = [];
  let wasDown = false;
  storageClient.on('error', () => (wasDown = true));
  storageClient.on('ready', () => {
    if (!wasDown) return;
    wasDown = false;
    for (const listener of listeners) listener();
  });

  const closeClient = async (client: RedisClient) => {
    // QUIT waits for replies; with Redis gone there are none to wait for.
    if (client.isReady) await client.close().catch(() => client.destroy());
    else if (client.isOpen) client.destroy();
  };

  const sharedAdapterClient = adapterClient;
  return {
    storage,
    adapter,
    rateLimits: { redis: storageClient, keyPrefix: prefix },
    get redisUp() {
      return storageClient.isReady && sharedAdapterClient.isReady;
    },
    onReconnect(listener) {
      listeners.push(listener);
    },
    async close() {
      await Promise.all([closeClient(storageClient), closeClient(sharedAdapterClient)]);
    },
  };
}

/**
 * The adapter sends its pub/sub messages (server-side events, fetchSockets
 * requests) without handling the returned promise; one that fails because
 * Redis went away mid-flight would be an unhandled rejection, which ends a
 * Node process. Marking each publish as handled keeps the process up (the
 * adapter's own callers that await it still see the error).
 */
function guardPublish(client: RedisClient): void {
  const publish = client.publish.bind(client);
  const guarded: typeof publish = (...args) => {
    const sent = publish(...args);
    sent.catch(() => undefined);
    return sent;
  };
  (client as { publish: typeof publish }).publish = guarded;
}
