/** The storage contract against SQLite (a fresh temp file per test), and what only a file can do: be locked by another process. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from './sqlite.js';
import { defineStorageContract } from './storage.contract.js';
import type { TalkStorage } from './storage.js';

function tempFile(): { file: string; directory: string } {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'livedeck-contract-'));
  return { directory, file: path.join(directory, 'livedeck.db') };
}

defineStorageContract('SQLite', async () => {
  const { directory, file } = tempFile();
  return {
    open: async () => openSqliteStorage(file),
    destroy: async () => fs.rmSync(directory, { recursive: true, force: true }),
  };
});

describe('SQLite storage with the write lock held elsewhere', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('refuses writes as unavailable after the lock wait, keeps reading, reports failing, and recovers', async () => {
    const { directory, file } = tempFile();
    cleanup.push(() => fs.rmSync(directory, { recursive: true, force: true }));
    const storage: TalkStorage = await openSqliteStorage(file, { lockWaitMs: 200 });
    cleanup.push(() => storage.close());
    const session = await storage.openSession('talk', 1);
    const kept = await storage.addChat(session.id, { authorId: 'a', name: 'A', text: 'before', ts: 1 });

    const holder = new Database(file);
    cleanup.push(() => holder.close());
    holder.exec('BEGIN EXCLUSIVE');
    await expect(storage.addChat(session.id, { authorId: 'a', name: 'A', text: 'during', ts: 2 })).rejects.toMatchObject({ name: 'StorageUnavailableError' });
    expect(await storage.allChat(session.id)).toEqual([kept]);
    expect(await storage.health()).toMatchObject({ ok: false, error: expect.stringContaining('SQLITE_BUSY') });

    holder.exec('ROLLBACK');
    await storage.addChat(session.id, { authorId: 'a', name: 'A', text: 'after', ts: 3 });
    expect(await storage.health()).toEqual({ ok: true });
  });

  it('commits a write that waited for a lock released in time', async () => {
    const { directory, file } = tempFile();
    cleanup.push(() => fs.rmSync(directory, { recursive: true, force: true }));
    const storage = await openSqliteStorage(file, { lockWaitMs: 10_000 });
    cleanup.push(() => storage.close());
    const session = await storage.openSession('talk', 1);
    const holder = new Database(file);
    cleanup.push(() => holder.close());
    holder.exec('BEGIN EXCLUSIVE');
    const waiting = storage.addChat(session.id, { authorId: 'a', name: 'A', text: 'patient', ts: 1 });
    // Reads are served while the write waits.
    expect(await storage.allChat(session.id)).toEqual([]);
    holder.exec('ROLLBACK');
    expect(await waiting).toMatchObject({ text: 'patient' });
  });
});
