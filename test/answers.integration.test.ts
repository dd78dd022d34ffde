/**
 * Word clouds, scales and open text over real sockets and a real SQLite
 * file: counting (normalised words), allowances and bounds, moderation,
 * what the room may see, roles, exports, and entries that survive a restart.
 * The example talk (slides/widgets-tour.md) declares one of each.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../demo-server/options.js';
import type { LiveDeckServer } from '../demo-server/server.js';
import { batchWindowMs, PHONE_WRITES_PER_SECOND } from '../demo-server/realtime/phone-batches.js';
import type { RoomBatch, TextBoard, WordCloud } from '../src/shared/protocol.js';
import { audience, closeAll, presenter, startServer, tempDir, TEST_TOKEN, until, waitForEvent, type TestClient } from './helpers.js';

const TOUR = path.join(PROJECT_ROOT, 'slides', 'widgets-tour.md');
const WORDS = 'tour-word';
const SCALE = 'tour-websockets';
const TEXT = 'tour-next-talk';

describe('word clouds, scales and open text', () => {
  let server: LiveDeckServer;
  const sockets: TestClient[] = [];

  beforeEach(async () => {
    server = await startServer({ talkFile: TOUR });
  });
  afterEach(async () => {
    closeAll(...sockets.splice(0));
    await server.close();
  });

  async function phone(clientId: string, url = server.url) {
    const connected = await audience(url, clientId);
    sockets.push(connected.socket);
    return connected;
  }

  async function boss(url = server.url) {
    const connected = await presenter(url);
    sockets.push(connected.socket);
    return connected;
  }

  const cloudWhere = (socket: TestClient, test: (cloud: WordCloud) => boolean) =>
    waitForEvent(socket, 'words:cloud', (cloud) => cloud.poll === WORDS && test(cloud));
  const boardWhere = (socket: TestClient, test: (board: TextBoard) => boolean) =>
    waitForEvent(socket, 'text:board', (board) => board.poll === TEXT && test(board));

  it('lists every kind in the snapshot, empty', async () => {
    const { snapshot } = await phone('kinds-phone-1');
    expect(snapshot.polls.map((poll) => [poll.poll, poll.counts.length])).toEqual([
      ['tour-language', 4],
      [SCALE, 5],
    ]);
    expect(snapshot.clouds).toEqual([{ poll: WORDS, words: [], total: 0, entries: 0, closed: false, mine: [] }]);
    expect(snapshot.texts).toEqual([{ poll: TEXT, closed: false, show: { mode: 'none' }, count: 0, entries: 0, shown: [], mine: [] }]);
    const { snapshot: desk } = await boss();
    expect(desk.clouds[0]).toMatchObject({ removed: [] });
    expect(desk.texts[0]).toMatchObject({ answers: [] });
  });

  it('counts "Fast", "fast!", "ＦＡＳＴ" as one word and "速い", "速い。" as another, shown in a form people typed', async () => {
    const watcher = await phone('cloud-watcher-1');
    const heard = cloudWhere(watcher.socket, (cloud) => cloud.total === 5);
    const entries = ['Fast', 'fast!', 'ＦＡＳＴ', '速い', '速い。'];
    for (const [index, text] of entries.entries()) {
      const { socket } = await phone(`cloud-typist-${index}`);
      const reply = await socket.emitWithAck('words:submit', { poll: WORDS, text });
      expect(reply).toMatchObject({ ok: true, word: { text } });
    }
    expect(await heard).toEqual({
      poll: WORDS,
      words: [
        { key: 'fast', text: 'Fast', count: 3 },
        { key: '速い', text: '速い', count: 2 },
      ],
      total: 5,
      entries: 5,
      closed: false,
      rev: expect.any(Number),
    });
    const late = await phone('cloud-typist-2');
    expect(late.snapshot.clouds[0]).toMatchObject({ total: 5, mine: [{ key: 'fast', text: 'ＦＡＳＴ' }] });
  });

  it('sends phones clouds and boards in room:batch frames (presenters one by one) once the room batches over a window', async () => {
    // Past PHONE_WRITES_PER_SECOND / 1000 phones, a batch waits a window of at least 1 ms.
    const roomSize = Math.ceil(PHONE_WRITES_PER_SECOND / 1000) + 2;
    expect(batchWindowMs(roomSize)).toBeGreaterThan(0);
    const watcher = await phone('batched-watcher');
    for (let index = 1; index < roomSize; index++) await phone(`batched-crowd-${index}`);
    await until(() => server.room.roomAudience >= roomSize, 'the room counted');
    const desk = await boss();
    // What arrives on the wire, before unpackBatches hands batch parts to the events' listeners.
    const frames: Array<[string, unknown]> = [];
    watcher.socket.onAny((event: string, payload: unknown) => frames.push([event, payload]));
    const deskFrames: string[] = [];
    desk.socket.onAny((event: string) => deskFrames.push(event));
    const batchedCloud = () =>
      frames.find(([event, payload]) => event === 'room:batch' && (payload as RoomBatch).clouds?.some((cloud) => cloud.poll === WORDS && cloud.total === 1));
    const batchedBoard = () =>
      frames.find(([event, payload]) => event === 'room:batch' && (payload as RoomBatch).boards?.some((board) => board.poll === TEXT && board.count === 1));

    const unpacked = cloudWhere(watcher.socket, (cloud) => cloud.total === 1);
    const presenters = cloudWhere(desk.socket, (cloud) => cloud.total === 1);
    expect(await watcher.socket.emitWithAck('words:submit', { poll: WORDS, text: 'batched' })).toMatchObject({ ok: true });
    expect(await unpacked).toEqual({
      poll: WORDS,
      words: [{ key: 'batched', text: 'batched', count: 1 }],
      total: 1,
      entries: 1,
      closed: false,
      rev: expect.any(Number),
    });
    expect(batchedCloud()).toBeDefined();
    expect((await presenters).removed).toEqual([]);

    const board = boardWhere(watcher.socket, (candidate) => candidate.count === 1);
    expect(await watcher.socket.emitWithAck('text:submit', { poll: TEXT, text: 'In a batch' })).toMatchObject({ ok: true });
    await board;
    expect(batchedBoard()).toBeDefined();
    await until(() => deskFrames.includes('text:board'), 'the presenter hearing the board');
    expect(frames.map(([event]) => event)).not.toContain('words:cloud');
    expect(frames.map(([event]) => event)).not.toContain('text:board');
    expect(deskFrames).toContain('words:cloud');
    expect(deskFrames).not.toContain('room:batch');
  });

  it('takes up to data-max words per person, across their phones, each word once', async () => {
    const [first, second] = [await phone('word-allowance-1'), await phone('word-allowance-1')];
    expect(await first.socket.emitWithAck('words:submit', { poll: WORDS, text: 'async' })).toMatchObject({ ok: true });
    expect(await second.socket.emitWithAck('words:submit', { poll: WORDS, text: 'ASYNC!' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'you already sent that word', reason: 'word_repeated' },
    });
    expect(await second.socket.emitWithAck('words:submit', { poll: WORDS, text: 'events' })).toMatchObject({ ok: true });
    expect(await first.socket.emitWithAck('words:submit', { poll: WORDS, text: 'V8' })).toMatchObject({ ok: true });
    expect(await second.socket.emitWithAck('words:submit', { poll: WORDS, text: 'streams' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('3 words'), reason: 'words_per_person', params: { count: 3 } },
    });
    const back = await phone('word-allowance-1');
    expect(back.snapshot.clouds[0]!.mine.map((word) => word.text)).toEqual(['async', 'events', 'V8']);
  });

  it.each([
    [{ poll: WORDS, text: 'x'.repeat(33) }, /32 characters/],
    [{ poll: WORDS, text: '   ' }, /empty/],
    [{ poll: WORDS, text: '!!!' }, /only punctuation/],
    [{ poll: WORDS, text: 'two\nlines' }, /one line/],
    [{ poll: WORDS, text: 'a\u0007b' }, /control/],
    [{ poll: WORDS, text: 42 }, /text/],
    [{ poll: 'no-such-poll', text: 'fast' }, /no poll "no-such-poll"/],
    [{ poll: TEXT, text: 'fast' }, /is an open-text poll, not a word cloud/],
    [{ poll: WORDS, text: 'fast', extra: 1 }, /unrecognized/i],
  ])('refuses the word %j as invalid', async (payload, message) => {
    const { socket } = await phone('word-invalid-1');
    expect(await socket.emitWithAck('words:submit', payload as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringMatching(message) },
    });
  });

  it('lets the presenter remove a word from the cloud (refused from then on) and bring it back', async () => {
    const desk = await boss();
    const watcher = await phone('moderation-watcher');
    for (const [clientId, text] of [
      ['moderated-1', 'rude'],
      ['moderated-2', 'Rude!'],
      ['moderated-3', 'nice'],
    ]) {
      await (await phone(clientId!)).socket.emitWithAck('words:submit', { poll: WORDS, text: text! });
    }
    const phones = cloudWhere(watcher.socket, (cloud) => cloud.total === 1);
    const console = cloudWhere(desk.socket, (cloud) => cloud.total === 1);
    expect(await desk.socket.emitWithAck('words:hide', { poll: WORDS, key: 'rude', hidden: true })).toEqual({ ok: true });
    expect(await phones).toEqual({
      poll: WORDS,
      words: [{ key: 'nice', text: 'nice', count: 1 }],
      total: 1,
      entries: 3,
      closed: false,
      rev: expect.any(Number),
    });
    expect((await console).removed).toEqual([{ key: 'rude', text: 'rude', count: 2 }]);
    expect(await watcher.socket.emitWithAck('words:submit', { poll: WORDS, text: 'RUDE' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'the presenter removed that word from the cloud' },
    });
    const back = cloudWhere(watcher.socket, (cloud) => cloud.total === 3);
    expect(await desk.socket.emitWithAck('words:hide', { poll: WORDS, key: 'rude', hidden: false })).toEqual({ ok: true });
    expect((await back).words[0]).toEqual({ key: 'rude', text: 'rude', count: 2 });
  });

  it('keeps every reset, close, removal and showing to the presenter', async () => {
    const { socket } = await phone('not-the-presenter');
    await socket.emitWithAck('text:submit', { poll: TEXT, text: 'Mine' });
    for (const [event, payload] of [
      ['poll:reset', { poll: WORDS }],
      ['poll:reset', { poll: TEXT }],
      ['poll:reset', { poll: SCALE }],
      ['poll:close', { poll: WORDS, closed: true }],
      ['words:hide', { poll: WORDS, key: 'fast', hidden: true }],
      ['text:hide', { poll: TEXT, id: 1, hidden: true }],
      ['text:show', { poll: TEXT, show: { mode: 'list' } }],
    ] as const) {
      expect(await socket.emitWithAck(event, payload as never)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('closes, reopens and resets a word cloud', async () => {
    const desk = await boss();
    const { socket } = await phone('cloud-closing-1');
    await socket.emitWithAck('words:submit', { poll: WORDS, text: 'first' });
    expect(await desk.socket.emitWithAck('poll:close', { poll: WORDS, closed: true })).toEqual({ ok: true });
    expect(await socket.emitWithAck('words:submit', { poll: WORDS, text: 'late' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'the poll is closed' },
    });
    await desk.socket.emitWithAck('poll:close', { poll: WORDS, closed: false });
    const emptied = cloudWhere(socket, (cloud) => cloud.total === 0 && !cloud.closed);
    expect(await desk.socket.emitWithAck('poll:reset', { poll: WORDS })).toEqual({ ok: true });
    await emptied;
    const back = await phone('cloud-closing-1');
    expect(back.snapshot.clouds[0]).toMatchObject({ total: 0, mine: [] });
  });

  it('rates on a scale: one rating per person, moved by a new one', async () => {
    const [a, b] = [await phone('scale-rater-1'), await phone('scale-rater-2')];
    // Positions from data-min: 1–5, so option 4 is a 5.
    expect(await a.socket.emitWithAck('poll:vote', { poll: SCALE, option: 4 })).toMatchObject({
      ok: true,
      mine: 4,
      results: { counts: [0, 0, 0, 0, 1], total: 1 },
    });
    expect(await a.socket.emitWithAck('poll:vote', { poll: SCALE, option: 1 })).toMatchObject({ ok: true, results: { counts: [0, 1, 0, 0, 0], total: 1 } });
    expect(await b.socket.emitWithAck('poll:vote', { poll: SCALE, option: 2 })).toMatchObject({ ok: true, results: { counts: [0, 1, 1, 0, 0], total: 2 } });
    expect(await b.socket.emitWithAck('poll:vote', { poll: SCALE, option: 5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: `scale "${SCALE}" has options 0–4 (values 1–5)` },
    });
    expect(await b.socket.emitWithAck('poll:vote', { poll: WORDS, option: 0 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('keeps open-text answers from other phones until the presenter shows one, or the list', async () => {
    const desk = await boss();
    const [author, other] = [await phone('text-author-1'), await phone('text-other-1')];
    const toPresenter = waitForEvent(desk.socket, 'text:answer', (answer) => answer.text === 'WebRTC, please');
    const counted = boardWhere(other.socket, (board) => board.count === 1);
    const reply = await author.socket.emitWithAck('text:submit', { poll: TEXT, text: '  WebRTC, please  ' });
    expect(reply).toMatchObject({ ok: true, answer: { poll: TEXT, text: 'WebRTC, please', hidden: false } });
    const id = reply.ok ? reply.answer.id : 0;
    expect(await toPresenter).toMatchObject({ id, name: expect.stringMatching(/^Guest-/), authorId: author.snapshot.me.authorId });
    // Other phones hear that there is an answer, not what it says.
    expect(await counted).toEqual({ poll: TEXT, closed: false, show: { mode: 'none' }, count: 1, entries: 1, shown: [], rev: expect.any(Number) });
    expect(JSON.stringify((await phone('text-other-1')).snapshot)).not.toContain('WebRTC');
    expect((await phone('text-author-1')).snapshot.texts[0]!.mine.map((answer) => answer.text)).toEqual(['WebRTC, please']);
    expect(await author.socket.emitWithAck('text:submit', { poll: TEXT, text: 'And Deno' })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const shownOne = boardWhere(other.socket, (board) => board.show.mode === 'one');
    expect(await desk.socket.emitWithAck('text:show', { poll: TEXT, show: { mode: 'one', id } })).toEqual({ ok: true });
    expect((await shownOne).shown).toEqual([{ id, authorId: author.snapshot.me.authorId, text: 'WebRTC, please' }]);

    // Hiding the answer on show takes it off every screen.
    const hiddenNews = boardWhere(other.socket, (board) => board.count === 0);
    expect(await desk.socket.emitWithAck('text:hide', { poll: TEXT, id, hidden: true })).toMatchObject({ ok: true, answer: { hidden: true } });
    expect(await hiddenNews).toMatchObject({ show: { mode: 'none' }, shown: [] });
    expect(await desk.socket.emitWithAck('text:show', { poll: TEXT, show: { mode: 'one', id } })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    await desk.socket.emitWithAck('text:hide', { poll: TEXT, id, hidden: false });
    await (await phone('text-author-2')).socket.emitWithAck('text:submit', { poll: TEXT, text: 'Bun' });
    const list = boardWhere(other.socket, (board) => board.show.mode === 'list');
    expect(await desk.socket.emitWithAck('text:show', { poll: TEXT, show: { mode: 'list' } })).toEqual({ ok: true });
    expect((await list).shown.map((answer) => answer.text)).toEqual(['Bun', 'WebRTC, please']);
    const { snapshot } = await boss();
    expect(snapshot.texts[0]!.answers!.map((answer) => answer.text)).toEqual(['WebRTC, please', 'Bun']);
  });

  it('refuses answers over 280 characters and for the wrong poll', async () => {
    const { socket } = await phone('text-invalid-1');
    expect(await socket.emitWithAck('text:submit', { poll: TEXT, text: 'x'.repeat(281) })).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: /280 characters/ },
    });
    expect(await socket.emitWithAck('text:submit', { poll: WORDS, text: 'hello' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await socket.emitWithAck('text:submit', { poll: TEXT, text: 'x'.repeat(280) })).toMatchObject({ ok: true });
  });

  it('hides a banned person’s words and answers', async () => {
    const desk = await boss();
    const troll = await phone('troll-person-1');
    await troll.socket.emitWithAck('words:submit', { poll: WORDS, text: 'spam' });
    await troll.socket.emitWithAck('text:submit', { poll: TEXT, text: 'spam spam' });
    const cleared = cloudWhere(desk.socket, (cloud) => cloud.total === 0);
    const hidden = waitForEvent(desk.socket, 'text:answer', (answer) => answer.hidden);
    expect(await desk.socket.emitWithAck('client:ban', { authorId: troll.snapshot.me.authorId })).toEqual({ ok: true });
    await cleared;
    expect(await hidden).toMatchObject({ text: 'spam spam' });
    // Their phone is disconnected; back with the same clientId, what they send is refused.
    const back = await phone('troll-person-1');
    expect(await back.socket.emitWithAck('words:submit', { poll: WORDS, text: 'again' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await back.socket.emitWithAck('text:submit', { poll: TEXT, text: 'again' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('puts every kind in the session export', async () => {
    const desk = await boss();
    const [a, b] = [await phone('export-kinds-1'), await phone('export-kinds-2')];
    await a.socket.emitWithAck('poll:vote', { poll: SCALE, option: 4 });
    await b.socket.emitWithAck('poll:vote', { poll: SCALE, option: 1 });
    await a.socket.emitWithAck('words:submit', { poll: WORDS, text: '速い' });
    await b.socket.emitWithAck('words:submit', { poll: WORDS, text: '速い。' });
    await b.socket.emitWithAck('words:submit', { poll: WORDS, text: '*bold*' });
    await desk.socket.emitWithAck('words:hide', { poll: WORDS, key: 'bold', hidden: true });
    await a.socket.emitWithAck('text:submit', { poll: TEXT, text: 'Markdown # in [text](x)' });
    const auth = { headers: { Authorization: `Bearer ${TEST_TOKEN}` } };
    const url = `${server.url}/api/presenter/sessions/${server.room.sessionId}/export`;
    const json = await (await fetch(`${url}.json`, auth)).json();
    expect(json.extras.polls.map((poll: { kind: string }) => poll.kind)).toEqual(['poll', 'scale', 'words', 'text']);
    expect(json.extras.polls[1]).toMatchObject({
      kind: 'scale',
      min: 1,
      max: 5,
      total: 2,
      mean: 3.5,
      options: [{ label: '1', votes: 0 }, { label: '2', votes: 1 }, {}, {}, { label: '5', votes: 1 }],
    });
    expect(json.extras.polls[2]).toMatchObject({ words: [{ text: '速い', count: 2 }], removed: [{ text: 'bold', count: 1 }], total: 2 });
    expect(json.extras.polls[3]).toMatchObject({ answers: [{ text: 'Markdown # in [text](x)', hidden: false }], total: 1 });
    const markdown = await (await fetch(`${url}.md`, auth)).text();
    expect(markdown).toContain('### How well do you know WebSockets? (2 votes, mean 3.5)');
    expect(markdown).toContain('- 速い: 2');
    expect(markdown).toContain('Removed by the presenter: bold (1)');
    expect(markdown).toContain('Markdown \\# in \\[text\\]\\(x\\)');

    // The report draws every kind; user text stays text.
    await b.socket.emitWithAck('text:submit', { poll: TEXT, text: '<img src=x onerror=alert(1)>' });
    const report = await (await fetch(`${server.url}/api/presenter/sessions/${server.room.sessionId}/report.html`, auth)).text();
    expect(report).toContain('mean 3.5');
    expect(report).toContain('速い');
    expect(report).toContain('removed by the presenter: bold');
    expect(report).toContain('Markdown # in [text](x)');
    expect(report).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(report).not.toContain('<img src=x');

    // The handout, once the talk ends: votes and the kept words, never the open-text answers.
    const sessionId = server.room.sessionId;
    await desk.socket.emitWithAck('session:end', {});
    const handout = await (await fetch(`${server.url}/api/handout/${sessionId}`)).json();
    expect(handout.polls.map((poll: { id: string }) => poll.id)).toEqual(['tour-language', SCALE, WORDS]);
    expect(handout.polls[2]).toEqual({ id: WORDS, question: expect.any(String), options: [{ label: '速い', votes: 2 }], total: 2 });
    expect(JSON.stringify(handout)).not.toContain('Markdown # in');
  });

  it('keeps words, ratings and answers across a restart on the same database', async () => {
    const dbFile = path.join(tempDir(), 'answers.db');
    const first = await startServer({ talkFile: TOUR, dbFile });
    try {
      const { socket } = await audience(first.url, 'durable-answers-1');
      await socket.emitWithAck('words:submit', { poll: WORDS, text: 'ＦＡＳＴ' });
      await socket.emitWithAck('poll:vote', { poll: SCALE, option: 3 });
      // Acknowledged means committed: the next server sees it, however the first one ends.
      await socket.emitWithAck('text:submit', { poll: TEXT, text: 'Durable' });
      socket.close();
    } finally {
      await first.close();
    }
    const second = await startServer({ talkFile: TOUR, dbFile });
    try {
      const back = await audience(second.url, 'durable-answers-1');
      sockets.push(back.socket);
      expect(back.snapshot.clouds[0]).toMatchObject({ words: [{ key: 'fast', text: 'ＦＡＳＴ', count: 1 }], mine: [{ text: 'ＦＡＳＴ' }] });
      expect(back.snapshot.polls.find((poll) => poll.poll === SCALE)).toMatchObject({ mine: 3, total: 1 });
      expect(back.snapshot.texts[0]).toMatchObject({ count: 1, mine: [{ text: 'Durable' }] });
    } finally {
      await second.close();
    }
  });
});
