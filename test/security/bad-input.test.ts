/**
 * Hostile room, part 1: bad input on every inbound event. Each case asserts
 * the refusal (`invalid`, or silence without an ack), that the stored state
 * is unchanged, and that another client is still served afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../../demo-server/server.js';
import { StorageUnavailableError } from '../../demo-server/storage/storage.js';
import type { ClientToServerEvents } from '../../src/shared/protocol.js';
import { audience, presenter, startServer, TEST_TOKEN, type Connected } from '../helpers.js';
import { expectHarmless, RawClient } from './harness.js';

type Event = keyof ClientToServerEvents;

/** Payloads a real client can send (socket.io-client serialises them; NaN arrives as null). */
const AUDIENCE_CASES: Array<[string, Event, unknown]> = [
  ['text is a number', 'chat:send', { text: 42 }],
  ['text is an array', 'chat:send', { text: ['a'] }],
  ['text is an object', 'chat:send', { text: { toString: 'x' } }],
  ['an extra key', 'chat:send', { text: 'hi', admin: true }],
  ['a payload over the 4096-byte bound', 'chat:send', { text: 'x'.repeat(5000) }],
  ['a lone high surrogate in text', 'chat:send', { text: 'broken \uD83D here' }],
  ['a lone low surrogate in text', 'chat:send', { text: '\uDE00' }],
  ['a C0 control character in text', 'chat:send', { text: 'bell \u0007' }],
  ['a C1 control character in text', 'chat:send', { text: '\u009B31m red' }],
  ['only whitespace', 'chat:send', { text: '   \n ' }],
  ['a null payload', 'chat:send', null],
  ['an array payload', 'chat:send', ['hi']],
  ['a string payload', 'chat:send', 'hi'],
  ['question text over 280 characters', 'question:ask', { text: 'q'.repeat(281) }],
  ['a zero-width space in a name', 'name:set', { name: 'Bob\u200B' }],
  ['a zero-width joiner in a name', 'name:set', { name: 'Ad\u200Dmin' }],
  ['a bidi override in a name', 'name:set', { name: '\u202Etneserp' }],
  ['a bidi isolate in a name', 'name:set', { name: 'x\u2066y' }],
  ['a zero-width no-break space inside a name', 'name:set', { name: 'Pres\uFEFFenter' }],
  ['a tab in a name', 'name:set', { name: 'tab\there' }],
  ['a lone surrogate in a name', 'name:set', { name: '\uD800' }],
  ['a name over 32 characters', 'name:set', { name: 'n'.repeat(33) }],
  ['NaN as a question id', 'question:vote', { id: NaN, up: true }],
  ['a negative question id', 'question:vote', { id: -1, up: true }],
  ['a fractional question id', 'question:vote', { id: 1.5, up: true }],
  ['a huge question id', 'question:vote', { id: 2 ** 60, up: true }],
  ['a question id as a string', 'question:vote', { id: '1', up: true }],
  ['a vote that is not a boolean', 'question:vote', { id: 1, up: 'yes' }],
  ['an unknown reaction', 'reaction:send', { emoji: '💩' }],
  ['a poll option out of range', 'poll:vote', { poll: 'some-poll', option: 99 }],
  ['a poll id that is a path', 'poll:vote', { poll: '../../etc', option: 0 }],
  ['an unknown pace direction', 'pace:vote', { dir: 'sideways' }],
];

const SLIDE_CASES: Array<[string, unknown]> = [
  ['NaN', { h: NaN, v: 0, f: -1 }],
  ['a negative index', { h: -1, v: 0, f: -1 }],
  ['a fractional index', { h: 0.5, v: 0, f: -1 }],
  ['a huge index', { h: 1e9, v: 0, f: -1 }],
  ['an index as a string', { h: '1', v: 0, f: -1 }],
  ['a fragment below -1', { h: 0, v: 0, f: -2 }],
  ['a missing key', { h: 0, v: 0 }],
  ['an extra key', { h: 0, v: 0, f: -1, seq: 99 }],
];

/** Raw JSON text: things socket.io-client cannot produce (Infinity, real `__proto__` own keys, odd argument counts). */
const RAW_AUDIENCE_CASES: Array<[string, string]> = [
  ['a __proto__ key', '["chat:send",{"text":"hi","__proto__":{"isAdmin":true}}]'],
  ['a constructor key', '["chat:send",{"text":"hi","constructor":{"prototype":{"isAdmin":true}}}]'],
  ['a prototype key', '["chat:send",{"text":"hi","prototype":{"isAdmin":true}}]'],
  ['__proto__ as the only key', '["name:set",{"__proto__":{"name":"Presenter"}}]'],
  ['Infinity as a question id', '["question:vote",{"id":1e999,"up":true}]'],
  ['an id past 2^53', '["question:vote",{"id":9007199254740993,"up":true}]'],
  ['an escaped lone surrogate', '["chat:send",{"text":"\\ud800 x"}]'],
  ['two payloads', '["chat:send",{"text":"a"},{"text":"b"}]'],
  ['no payload at all', '["chat:send"]'],
];

const RAW_PRESENTER_CASES: Array<[string, string]> = [
  ['Infinity (1e999) as a slide index', '["slide:set",{"h":1e999,"v":0,"f":-1}]'],
  ['-Infinity as a fragment', '["slide:set",{"h":0,"v":0,"f":-1e999}]'],
  ['a __proto__ key in slide:set', '["slide:set",{"h":0,"v":0,"f":-1,"__proto__":{"h":5}}]'],
];

/** Events nobody registered, including names that mean something to EventEmitter or Object.prototype. */
const UNKNOWN_EVENTS: Array<[string, string]> = [
  ['an unknown name', '["admin:grant",{}]'],
  ['"error" (CVE-2024-38355)', '["error",{}]'],
  ['a number as the event name', '[123,{}]'],
  ['"__proto__"', '["__proto__",{}]'],
  ['"constructor"', '["constructor",{}]'],
  ['"hasOwnProperty"', '["hasOwnProperty",{}]'],
];

/** Sent without an ack id: the server must drop them quietly and keep the connection. */
const NO_ACK_FRAMES: Array<[string, string]> = [
  ['a bad payload', '42["chat:send",{"text":1}]'],
  ['an unknown event', '42["admin:grant",{}]'],
  ['an "error" event', '42["error","boom"]'],
  ['a presenter event from a phone', '42["slide:set",{"h":3,"v":0,"f":-1}]'],
  ['a payload over the size bound', `42["chat:send",{"text":"${'y'.repeat(6000)}"}]`],
];

describe('hostile room: bad input', () => {
  let server: LiveDeckServer;
  let phone: Connected;
  let boss: Connected;
  let raw: RawClient;
  let rawBoss: RawClient;

  beforeAll(async () => {
    server = await startServer();
    phone = await audience(server.url, 'bad-input-phone');
    boss = await presenter(server.url);
    raw = await RawClient.open(server, { auth: { role: 'audience', clientId: 'bad-input-raw' } });
    rawBoss = await RawClient.open(server, { auth: { role: 'presenter', token: TEST_TOKEN } });
    // Something to vote on and something stored, so "unchanged" has content to compare.
    await phone.socket.emitWithAck('question:ask', { text: 'Is this room hostile?' });
    await phone.socket.emitWithAck('chat:send', { text: 'hello room' });
  });

  afterAll(async () => {
    phone.socket.close();
    boss.socket.close();
    raw.close();
    rawBoss.close();
    await server.close();
  });

  it.each(AUDIENCE_CASES)('refuses %s (%s) with invalid', async (_label, event, payload) => {
    await expectHarmless(server, async () => {
      const reply = await phone.socket.timeout(5000).emitWithAck(event, payload as never);
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.any(String) } });
    });
  });

  it.each(SLIDE_CASES)('refuses a presenter slide:set with %s with invalid', async (_label, payload) => {
    await expectHarmless(server, async () => {
      const reply = await boss.socket.timeout(5000).emitWithAck('slide:set', payload as never);
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid' } });
    });
  });

  it.each(RAW_AUDIENCE_CASES)('refuses %s (raw frame) with invalid, and pollutes no prototype', async (_label, json) => {
    await expectHarmless(server, async () => {
      expect(await raw.emitRaw(json)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(raw.isOpen).toBe(true);
  });

  it.each(RAW_PRESENTER_CASES)('refuses %s (raw presenter frame) with invalid', async (_label, json) => {
    await expectHarmless(server, async () => {
      expect(await rawBoss.emitRaw(json)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    });
    expect(({} as Record<string, unknown>).h).toBeUndefined();
  });

  it.each(UNKNOWN_EVENTS)('answers an unknown event named %s with invalid', async (_label, json) => {
    await expectHarmless(server, async () => {
      expect(await raw.emitRaw(json)).toEqual({ ok: false, error: { code: 'invalid', message: 'unknown event', reason: 'unknown_event' } });
    });
    expect(raw.isOpen).toBe(true);
  });

  it.each(NO_ACK_FRAMES)('drops %s sent without an ack callback, and keeps the connection', async (_label, frame) => {
    await expectHarmless(server, async () => {
      raw.send(frame);
      // Frames on one connection are handled in order: an ack for the next one means the first was dealt with.
      expect(await raw.emitRaw('["reaction:send",{"emoji":"👍"}]')).toEqual({ ok: true });
    });
    expect(raw.isOpen).toBe(true);
  });

  describe('a handler that fails', () => {
    const storage = () => server.room.storage as unknown as Record<string, unknown>;

    it.each([
      ['throws', 'internal', () => new Error('boom (thrown)')],
      ['rejects', 'internal', () => Promise.reject(new Error('boom (rejected)'))],
      ['reports the disk unavailable', 'unavailable', () => Promise.reject(new StorageUnavailableError('disk I/O error'))],
    ] as const)('a storage call that %s is acked %s with no details, and the process carries on', async (_label, code, failure) => {
      const original = storage().addChat;
      storage().addChat = () => {
        const outcome = failure();
        if (outcome instanceof Error) throw outcome;
        return outcome;
      };
      try {
        await expectHarmless(server, async () => {
          const reply = await phone.socket.timeout(5000).emitWithAck('chat:send', { text: 'this write fails' });
          expect(reply).toMatchObject({ ok: false, error: { code } });
          if (!reply.ok) expect(reply.error.message).not.toMatch(/boom|disk I\/O|at .*:\d+/);
        });
      } finally {
        storage().addChat = original;
      }
    });

    it('drops a failing event sent without an ack callback', async () => {
      const original = storage().addQuestion;
      storage().addQuestion = () => Promise.reject(new Error('boom'));
      try {
        await expectHarmless(server, async () => {
          raw.send('42["question:ask",{"text":"will this crash?"}]');
          expect(await raw.emitRaw('["reaction:send",{"emoji":"👍"}]')).toEqual({ ok: true });
        });
      } finally {
        storage().addQuestion = original;
      }
    });
  });
});
