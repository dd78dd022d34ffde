import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { audience, closeAll, presenter, serverFixture, tempDir, TEST_TOKEN } from './helpers.js';
import { PROCESS_TEST_TIMEOUT, runServerProcess, startServerProcess, type ServerProcess } from './process.js';

describe('durable talks', { timeout: PROCESS_TEST_TIMEOUT }, () => {
  const { sockets, start } = serverFixture();
  const processes: ServerProcess[] = [];
  afterEach(() => {
    for (const handle of processes.splice(0)) handle.child.kill('SIGKILL');
  });

  it('keeps every acknowledged message and vote through kill -9', async () => {
    const dbFile = path.join(tempDir(), 'crash.db');
    const first = await startServerProcess({ LIVEDECK_DB: dbFile });
    processes.push(first);
    const phones = await Promise.all(Array.from({ length: 4 }, (_, index) => audience(first.url, `crash-phone-${index}`)));
    phones.forEach((phone) => sockets.push(phone.socket));
    const boss = await presenter(first.url);
    sockets.push(boss.socket);

    await boss.socket.emitWithAck('slide:set', { h: 4, v: 0, f: -1 });
    const acked: number[] = [];
    // Fire many at once so they share group commits; every ok ack must survive.
    const replies = await Promise.all(
      phones.flatMap((phone, index) => Array.from({ length: 5 }, (_, n) => phone.socket.emitWithAck('chat:send', { text: `phone ${index} message ${n}` }))),
    );
    for (const reply of replies) if (reply.ok) acked.push(reply.message.id);
    const asked = await phones[0]!.socket.emitWithAck('question:ask', { text: 'Will this survive?' });
    if (!asked.ok) throw new Error('ask failed');
    const voted = await phones[1]!.socket.emitWithAck('question:vote', { id: asked.question.id, up: true });
    expect(voted).toMatchObject({ ok: true, question: { votes: 2 } });
    expect(acked).toHaveLength(20);

    first.child.kill('SIGKILL');
    await first.exited;
    closeAll(...sockets.splice(0));

    const second = await startServerProcess({ LIVEDECK_DB: dbFile });
    processes.push(second);
    const late = await audience(second.url, 'after-crash-01');
    sockets.push(late.socket);
    expect(late.snapshot.slide).toMatchObject({ h: 4, v: 0 });
    const ids = late.snapshot.chat.map((message) => message.id);
    for (const id of acked) expect(ids).toContain(id);
    expect(late.snapshot.questions).toEqual([expect.objectContaining({ id: asked.question.id, votes: 2, text: 'Will this survive?' })]);
  });

  it('resumes the open session after a restart, and a fresh session starts empty', async () => {
    const dbFile = path.join(tempDir(), 'sessions.db');
    const first = await start({ dbFile });
    const phone = await audience(first.url, 'session-phone-1');
    sockets.push(phone.socket);
    await phone.socket.emitWithAck('chat:send', { text: 'first session' });
    const sessionId = phone.snapshot.sessionId;
    phone.socket.close();
    await first.close();

    const second = await start({ dbFile });
    const again = await audience(second.url, 'session-phone-1');
    sockets.push(again.socket);
    expect(again.snapshot.sessionId).toBe(sessionId);
    expect(again.snapshot.chat.map((message) => message.text)).toEqual(['first session']);

    const boss = await presenter(second.url);
    sockets.push(boss.socket);
    const fresh = new Promise<number>((resolve) => again.socket.once('snapshot', (snapshot) => resolve(snapshot.chat.length)));
    const started = await boss.socket.emitWithAck('session:start', {});
    expect(started).toMatchObject({ ok: true, sessionId: expect.any(Number) });
    expect(await fresh).toBe(0);

    const list = await fetch(`${second.url}/api/presenter/sessions`, { headers: { Authorization: `Bearer ${TEST_TOKEN}` } });
    const body = (await list.json()) as { sessions: Array<{ id: number; messages: number; endedAt: number | null }> };
    expect(body.sessions).toHaveLength(2);
    expect(body.sessions.find((session) => session.id === sessionId)).toMatchObject({ messages: 1, endedAt: expect.any(Number) });
  });

  it('stops the start with one clear line when the database cannot be opened', async () => {
    const dir = tempDir();
    const notADatabase = path.join(dir, 'garbage.db');
    fs.writeFileSync(notADatabase, 'this is not sqlite'.repeat(100));
    for (const dbFile of [notADatabase, dir /* a directory */, '/proc/livedeck/nope.db']) {
      const handle = runServerProcess({ LIVEDECK_DB: dbFile });
      processes.push(handle);
      handle.ready.catch(() => undefined);
      expect(await handle.exited).toBe(1);
      const lines = handle
        .output()
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('livedeck:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('cannot open database');
      expect(lines[0]).toContain(path.basename(dbFile));
      expect(handle.output()).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('answers unavailable when a write fails at run time, and keeps serving slides', async () => {
    const dbFile = path.join(tempDir(), 'locked.db');
    const server = await start({ dbFile });
    const phone = await audience(server.url, 'locked-phone-1');
    sockets.push(phone.socket);

    // Another process holds the write lock: our writes time out (busy), the server must not crash.
    const other = new Database(dbFile);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    try {
      const reply = await phone.socket.emitWithAck('chat:send', { text: 'will fail' });
      expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect((await fetch(`${server.url}/api/talk`)).status).toBe(200);
      const second = await audience(server.url, 'locked-phone-2');
      sockets.push(second.socket);
      expect(second.snapshot.chat.find((message) => message.text === 'will fail')).toBeUndefined();
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await phone.socket.emitWithAck('chat:send', { text: 'works again' })).toMatchObject({ ok: true });
  });

  it('exports a session as Markdown and JSON for the presenter only', async () => {
    const server = await start();
    const phone = await audience(server.url, 'export-phone-1', 'Eve');
    const voter = await audience(server.url, 'export-phone-2');
    sockets.push(phone.socket, voter.socket);
    await phone.socket.emitWithAck('chat:send', { text: 'Great talk *really*' });
    const low = await phone.socket.emitWithAck('question:ask', { text: 'Low question' });
    const high = await phone.socket.emitWithAck('question:ask', { text: 'High question' });
    if (!low.ok || !high.ok) throw new Error('ask failed');
    await voter.socket.emitWithAck('question:vote', { id: high.question.id, up: true });
    const boss = await presenter(server.url);
    sockets.push(boss.socket);
    await boss.socket.emitWithAck('question:answer', { id: low.question.id, answered: true });

    const base = `${server.url}/api/presenter/sessions/${phone.snapshot.sessionId}/export`;
    for (const format of ['md', 'json']) {
      const denied = await fetch(`${base}.${format}`);
      expect(denied.status).toBe(401);
      expect(await denied.text()).not.toMatch(/Great talk|question/);
      expect((await fetch(`${base}.${format}`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    }
    const auth = { headers: { Authorization: `Bearer ${TEST_TOKEN}` } };
    const markdown = await (await fetch(`${base}.md`, auth)).text();
    expect(markdown.indexOf('High question')).toBeLessThan(markdown.indexOf('Low question'));
    expect(markdown).toMatch(/Low question.*answered/);
    expect(markdown).toContain('Great talk \\*really\\*');
    const json = (await (await fetch(`${base}.json`, auth)).json()) as { questions: Array<{ text: string; votes: number }>; chat: Array<{ text: string }> };
    expect(json.questions.map((question) => [question.text, question.votes])).toEqual([
      ['High question', 2],
      ['Low question', 1],
    ]);
    expect(json.chat.map((message) => message.text)).toEqual(['Great talk *really*']);
    expect((await fetch(`${server.url}/api/presenter/sessions/999/export.json`, auth)).status).toBe(404);
    expect((await fetch(`${server.url}/api/presenter/sessions/abc/export.json`, auth)).status).toBe(400);
  });
});
