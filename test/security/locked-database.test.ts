/**
 * Hostile room, round two, item 6: another process holds the SQLite file's
 * write lock (`BEGIN EXCLUSIVE`: a backup, a `sqlite3` shell left open).
 * Writes are refused as `unavailable`, but nothing else waits for the disk:
 * events that need no storage are answered at once, slides keep moving,
 * phones keep joining, /healthz says storage is failing, and the slide
 * changes made meanwhile are saved once the lock is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../../demo-server/server.js';
import { audience, presenter, serverFixture, tempDir, waitForEvent } from '../helpers.js';

interface Health {
  ok: boolean;
  storage: 'ok' | 'failing';
  degraded: boolean;
}

const health = async (server: LiveDeckServer) => (await (await fetch(`${server.url}/healthz`)).json()) as Health;

/** A second process that takes the write lock and holds it until told to let go. */
async function holdWriteLock(dbFile: string): Promise<{ release: () => Promise<void>; child: ChildProcess }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('locked\\n');
    process.stdin.once('data', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ['-e', script, dbFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    release: async () => {
      child.stdin!.write('go\n');
      await exited;
    },
  };
}

describe('hostile room, round two: a database locked by another process', () => {
  const { sockets, start } = serverFixture();
  const holders: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of holders.splice(0)) child.kill('SIGKILL');
  });

  it('keeps slides, joins and other events flowing, reports storage failing, and saves the slide once the lock is gone', async () => {
    const dbFile = path.join(tempDir(), 'locked.db');
    const server = await start({ dbFile });
    const boss = await presenter(server.url);
    const phone = await audience(server.url, 'locked-db-phone-1');
    sockets.push(boss.socket, phone.socket);
    expect(await health(server)).toMatchObject({ ok: true, storage: 'ok', degraded: false });

    const lock = await holdWriteLock(dbFile);
    holders.push(lock.child);

    // A write waits for the lock (up to a second); meanwhile events that need no storage are answered, one after
    // the other. With the disk wait on the event loop, the second of them waited for the write to give up.
    const order: string[] = [];
    const chat = phone.socket.emitWithAck('chat:send', { text: 'while locked' }).then((reply) => {
      order.push('chat');
      return reply;
    });
    for (let index = 0; index < 5; index++) {
      const refused = await phone.socket.emitWithAck('reaction:send', { emoji: 'not an emoji' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid' } });
      order.push('refused');
    }
    expect(await chat).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(order).toEqual(['refused', 'refused', 'refused', 'refused', 'refused', 'chat']);

    // Slides keep moving, and phones follow.
    for (const h of [1, 2, 3]) {
      const followed = waitForEvent(phone.socket, 'slide:changed', (slide) => slide.h === h);
      expect(await boss.socket.emitWithAck('slide:set', { h, v: 0, f: -1 })).toMatchObject({ ok: true });
      await followed;
    }
    // A phone joining now lands on the live slide.
    const late = await audience(server.url, 'locked-db-phone-2');
    sockets.push(late.socket);
    expect(late.snapshot.slide).toMatchObject({ h: 3, v: 0 });
    await expect.poll(async () => (await health(server)).storage, { timeout: 10_000 }).toBe('failing');
    expect(await health(server)).toMatchObject({ ok: false, degraded: true });

    await lock.release();
    await expect.poll(async () => (await health(server)).storage, { timeout: 10_000 }).toBe('ok');
    // What the presenter did while the disk was locked is on disk now.
    await expect.poll(async () => (await server.room.storage.getSession(server.room.sessionId))?.control.slide, { timeout: 10_000 }).toMatchObject({ h: 3 });
    expect(await phone.socket.emitWithAck('chat:send', { text: 'works again' })).toMatchObject({ ok: true });
  });
});
