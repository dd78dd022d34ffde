/**
 * All the talks of a series on one server, over real HTTP and sockets: the
 * presenter's list (title, duration, author, sessions, last date, broken
 * files with their error), making another talk live (every phone follows,
 * the old talk's session closes), and a server that keeps serving whatever
 * the slides folder holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../demo-server/server.js';
import type { PublicTalk, Snapshot, TalkList } from '../src/shared/protocol.js';
import { audience, connectClient, presenter, serverFixture, tempDir, TEST_TOKEN, waitForEvent } from './helpers.js';

export const TALK_A = `---
title: Alpha talk
author: Ada Lovelace
duration: 5
---

# Alpha one

---

## Alpha two

<div data-widget="poll" data-poll="alpha-poll" data-question="Ready?" data-options="Yes|No"></div>

---

## Alpha three
`;

export const TALK_B = `---
title: Bravo talk
author: Grace Hopper
duration: 9
---

# Bravo one

---

## Bravo two

--

## Bravo two, below

---

## Bravo three
`;

/** A temp slides folder with two good talks and two that do not load. */
export function seriesFolder(): string {
  const folder = tempDir();
  fs.writeFileSync(path.join(folder, 'alpha.md'), TALK_A);
  fs.writeFileSync(path.join(folder, 'bravo.md'), TALK_B);
  fs.writeFileSync(path.join(folder, 'broken-yaml.md'), '---\ntitle: [unclosed\n---\n# Oops\n');
  fs.writeFileSync(path.join(folder, 'bad-poll.md'), '# Poll\n\n<div data-widget="poll" data-poll="Bad Id" data-question="?" data-options="a|b"></div>\n');
  fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a talk');
  return folder;
}

export const bearer = { Authorization: `Bearer ${TEST_TOKEN}` };

export async function talks(server: LiveDeckServer): Promise<TalkList> {
  const response = await fetch(`${server.url}/api/presenter/talks`, { headers: bearer });
  expect(response.status).toBe(200);
  return (await response.json()) as TalkList;
}

export async function makeLive(server: LiveDeckServer, id: string): Promise<Response> {
  return fetch(`${server.url}/api/presenter/talks/${encodeURIComponent(id)}/live`, { method: 'POST', headers: { ...bearer, Origin: server.url } });
}

describe('the series on one server', () => {
  const { sockets, start: startWith } = serverFixture();

  async function start(folder = seriesFolder(), talk = 'alpha.md', overrides = {}): Promise<LiveDeckServer> {
    return startWith({ slidesDir: folder, talkFile: path.join(folder, talk), ...overrides });
  }

  it('lists every talk with title, duration, author, sessions and date, and broken files with their error', async () => {
    const server = await start();
    const list = await talks(server);
    expect(list.live).toEqual({ talkId: 'alpha', sessionId: expect.any(Number), ended: false });
    expect(list.talks.map((talk) => talk.id)).toEqual(['alpha', 'bad-poll', 'bravo', 'broken-yaml']);
    const [alpha, badPoll, bravo, brokenYaml] = list.talks;
    expect(alpha).toEqual({
      id: 'alpha',
      file: 'alpha.md',
      title: 'Alpha talk',
      author: 'Ada Lovelace',
      duration: 5,
      slides: 3,
      sessions: 1,
      lastSessionAt: expect.any(Number),
      error: null,
    });
    expect(bravo).toMatchObject({ title: 'Bravo talk', author: 'Grace Hopper', duration: 9, slides: 4, sessions: 0, lastSessionAt: null, error: null });
    expect(badPoll).toMatchObject({ title: 'bad-poll', duration: null, slides: 0, error: expect.stringMatching(/poll widget needs data-poll/) });
    expect(brokenYaml).toMatchObject({ error: expect.stringMatching(/front matter is not valid YAML/) });
    // Presenter only.
    expect((await fetch(`${server.url}/api/presenter/talks`)).status).toBe(401);
  });

  it('moves every phone to the new talk and closes the old talk’s session', async () => {
    const server = await start();
    const boss = await presenter(server.url);
    const phones = await Promise.all([audience(server.url, 'series-phone-1'), audience(server.url, 'series-phone-2'), audience(server.url, 'series-phone-3')]);
    sockets.push(boss.socket, ...phones.map((phone) => phone.socket));
    for (const phone of phones) expect(phone.snapshot).toMatchObject({ talkId: 'alpha', ended: false });
    const alphaSession = boss.snapshot.sessionId;
    await boss.socket.emitWithAck('slide:set', { h: 2, v: 0, f: -1 });

    const switched = phones.map((phone) => waitForEvent(phone.socket, 'snapshot', (snapshot) => snapshot.talkId === 'bravo'));
    const response = await makeLive(server, 'bravo');
    expect(response.status).toBe(200);
    const live = (await response.json()) as TalkList['live'];
    expect(live).toEqual({ talkId: 'bravo', sessionId: expect.any(Number), ended: false });
    const snapshots: Snapshot[] = await Promise.all(switched);
    for (const snapshot of snapshots) {
      expect(snapshot).toMatchObject({ talkId: 'bravo', ended: false, sessionId: live!.sessionId, slide: { h: 0, v: 0 }, chat: [], questions: [] });
      expect(snapshot.polls).toEqual([]);
    }
    expect(live!.sessionId).not.toBe(alphaSession);

    // The old talk's session has ended; the new talk is what the deck serves.
    const alphaSessions = await fetch(`${server.url}/api/presenter/sessions?talk=alpha`, { headers: bearer }).then(
      (r) => r.json() as Promise<{ sessions: Array<{ id: number; endedAt: number | null }> }>,
    );
    expect(alphaSessions.sessions.find((session) => session.id === alphaSession)?.endedAt).toEqual(expect.any(Number));
    const deck = (await fetch(`${server.url}/api/talk`).then((r) => r.json())) as PublicTalk;
    expect(deck).toMatchObject({ id: 'bravo', title: 'Bravo talk', author: 'Grace Hopper', duration: 9 });
    expect(deck.outline.map((stack) => stack.length)).toEqual([1, 2, 1]);

    // Phones follow the new talk's slides, and slide:set checks against the new deck (bravo has 2.2, alpha had not).
    const moved = phones.map((phone) => waitForEvent(phone.socket, 'slide:changed', (slide) => slide.h === 1 && slide.v === 1));
    expect(await boss.socket.emitWithAck('slide:set', { h: 1, v: 1, f: -1 })).toMatchObject({ ok: true });
    await Promise.all(moved);
    // A phone joining now lands on the live talk at its current slide.
    const late = await audience(server.url, 'series-phone-late');
    sockets.push(late.socket);
    expect(late.snapshot).toMatchObject({ talkId: 'bravo', slide: { h: 1, v: 1 } });

    const list = await talks(server);
    expect(list.talks.find((talk) => talk.id === 'bravo')).toMatchObject({ sessions: 1, lastSessionAt: expect.any(Number) });
    expect(list.talks.find((talk) => talk.id === 'alpha')).toMatchObject({ sessions: 1 });

    // Back to alpha: a fresh session (its old one ended), its poll back in the snapshot.
    const back = waitForEvent(late.socket, 'snapshot', (snapshot) => snapshot.talkId === 'alpha');
    expect((await makeLive(server, 'alpha')).status).toBe(200);
    const alphaAgain = await back;
    expect(alphaAgain.sessionId).not.toBe(alphaSession);
    expect(alphaAgain.polls.map((poll) => poll.poll)).toEqual(['alpha-poll']);
    expect((await talks(server)).talks.find((talk) => talk.id === 'alpha')).toMatchObject({ sessions: 2 });
  });

  it('refuses to make a broken or unknown talk live, and keeps serving the live one', async () => {
    const server = await start();
    const phone = await audience(server.url, 'series-phone-4');
    sockets.push(phone.socket);
    const broken = await makeLive(server, 'bad-poll');
    expect(broken.status).toBe(409);
    expect(((await broken.json()) as { error: { message: string } }).error.message).toMatch(/bad-poll.*poll widget needs data-poll/);
    expect((await makeLive(server, 'nobody')).status).toBe(404);
    expect((await makeLive(server, 'x'.repeat(200))).status).toBe(400);
    // Talks are found by id among the folder's files, never by path.
    expect((await makeLive(server, '../alpha')).status).toBe(400);
    expect((await makeLive(server, 'alpha.md')).status).toBe(404);
    expect((await fetch(`${server.url}/api/talk`).then((r) => r.json())) as PublicTalk).toMatchObject({ id: 'alpha' });
    expect(await phone.socket.emitWithAck('chat:send', { text: 'still here' })).toMatchObject({ ok: true });
  });

  it('lists a talk fixed or added while it runs', async () => {
    const folder = seriesFolder();
    const server = await start(folder);
    fs.writeFileSync(path.join(folder, 'bad-poll.md'), '---\ntitle: Poll fixed\n---\n# Fixed\n');
    fs.writeFileSync(path.join(folder, 'charlie.md'), '---\ntitle: Charlie talk\n---\n# C\n');
    const list = await talks(server);
    expect(list.talks.find((talk) => talk.id === 'bad-poll')).toMatchObject({ title: 'Poll fixed', error: null });
    expect(list.talks.find((talk) => talk.id === 'charlie')).toMatchObject({ title: 'Charlie talk', error: null });
    expect((await makeLive(server, 'charlie')).status).toBe(200);
  });

  it('starts without a live talk when the chosen one does not load, and goes live from the list', async () => {
    const server = await start(seriesFolder(), 'broken-yaml.md');
    expect((await fetch(`${server.url}/api/talk`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`).then((r) => r.json())) as { talk: string | null }).toMatchObject({ talk: null });
    const phone = await audience(server.url, 'series-phone-5');
    sockets.push(phone.socket);
    expect(phone.snapshot).toMatchObject({ talkId: null, ended: false, sessionId: 0, questions: [], chat: [] });
    expect(await phone.socket.emitWithAck('chat:send', { text: 'anyone?' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await talks(server)).live).toBeNull();
    const live = waitForEvent(phone.socket, 'snapshot', (snapshot) => snapshot.talkId === 'bravo');
    expect((await makeLive(server, 'bravo')).status).toBe(200);
    await live;
    expect(await phone.socket.emitWithAck('chat:send', { text: 'now we are live' })).toMatchObject({ ok: true });
  });

  it('keeps the live talk per process start: a restart on another talk ends the session the last one left open', async () => {
    const folder = seriesFolder();
    const dbFile = path.join(tempDir(), 'livedeck.db');
    const first = await start(folder, 'alpha.md', { dbFile });
    const boss = await connectClient(first.url, { role: 'presenter', token: TEST_TOKEN });
    const alphaSession = boss.snapshot.sessionId;
    boss.socket.close();
    await first.close();
    const second = await start(folder, 'bravo.md', { dbFile });
    const list = await talks(second);
    expect(list.live).toMatchObject({ talkId: 'bravo' });
    const alpha = await fetch(`${second.url}/api/presenter/sessions?talk=alpha`, { headers: bearer }).then(
      (r) => r.json() as Promise<{ sessions: Array<{ id: number; endedAt: number | null }> }>,
    );
    expect(alpha.sessions).toEqual([expect.objectContaining({ id: alphaSession, endedAt: expect.any(Number) })]);
  });
});
