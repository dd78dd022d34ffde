/**
 * The storage contract against a real redis-server (started here on a free
 * port, AOF with fsync on every write), plus what only Redis has: a Redis
 * crash, an outage, and scripts that Redis forgot.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../test/redis-server.js';
import { checkDurability, connectRedis, openRedisStorage, type RedisClient } from './redis.js';
import { defineStorageContract } from './storage.contract.js';
import type { TalkStorage } from './storage.js';

const logger = pino({ level: 'silent' });
let redis: TestRedis;
let prefixes = 0;

async function open(prefix: string): Promise<{ storage: TalkStorage; client: RedisClient }> {
  const client = await connectRedis({ url: redis.url, logger, role: 'test', offlineQueue: false });
  const storage = await openRedisStorage(client, { prefix });
  const closeStorage = storage.close.bind(storage);
  storage.close = async () => {
    await closeStorage();
    if (client.isOpen) client.destroy();
  };
  return { storage, client };
}

describe('Redis storage', () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.destroy();
  });

  defineStorageContract('Redis', async () => {
    // A fresh key prefix per test: one redis-server, no test sees another's keys.
    const prefix = `contract-${++prefixes}:`;
    return { open: async () => (await open(prefix)).storage, destroy: async () => {} };
  });

  it('keeps acknowledged writes through a crash of Redis (appendfsync always)', async () => {
    const { storage } = await open('crash:');
    const session = await storage.openSession('talk', 1);
    const message = await storage.addChat(session.id, { authorId: 'a', name: 'A', text: 'acked', ts: 2 });
    await storage.close();
    await redis.stop('SIGKILL');
    await redis.start();
    const reopened = await open('crash:');
    expect(await reopened.storage.allChat(session.id)).toEqual([message]);
    await reopened.storage.close();
  });

  it('refuses at once while Redis is down, and works again when it is back', async () => {
    const { storage, client } = await open('outage:');
    const session = await storage.openSession('talk', 1);
    await redis.stop();
    await expect(storage.addChat(session.id, { authorId: 'a', name: 'A', text: 'lost?', ts: 2 })).rejects.toMatchObject({
      name: 'StorageUnavailableError',
    });
    const ready = new Promise((resolve) => client.once('ready', resolve));
    await redis.start();
    await ready;
    const message = await storage.addChat(session.id, { authorId: 'a', name: 'A', text: 'back', ts: 3 });
    expect(await storage.allChat(session.id)).toEqual([message]);
    await storage.close();
  });

  it('sends a script again when Redis has forgotten it', async () => {
    const { storage, client } = await open('flush:');
    await client.scriptFlush();
    expect((await storage.openSession('talk', 1)).talkId).toBe('talk');
    await storage.close();
  });

  it('reports whether an acknowledged write is fsynced', async () => {
    const { storage, client } = await open('config:');
    expect(await checkDurability(client, logger)).toBe('fsync-always');
    await client.configSet('appendfsync', 'everysec');
    expect(await checkDurability(client, logger)).toBe('weaker');
    await client.configSet('appendfsync', 'always');
    await storage.close();
  });

  it('fails at start with one clear error when Redis cannot be reached', async () => {
    await expect(connectRedis({ url: 'redis://127.0.0.1:1', logger, role: 'test', offlineQueue: false })).rejects.toThrow(
      /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/,
    );
  });
});
