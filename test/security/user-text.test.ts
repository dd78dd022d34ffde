/**
 * Hostile room, round two, item 11: chat accepted bidi overrides
 * ("click \u202Egnp.exe" shows as "click exe.png") and 499 stacked combining
 * marks. The name rules' bidi refusal now covers every user text, and no
 * character may carry more than COMBINING_MARKS_MAX combining marks; real
 * right-to-left text, accents and emoji sequences still pass.
 */
import { describe, expect, it } from 'vitest';
import { COMBINING_MARKS_MAX } from '../../src/shared/protocol.js';
import { audience, serverFixture } from '../helpers.js';
import { expectHarmless } from './harness.js';

const HOSTILE = [
  'click \u202Egnp.exe',
  'isolated \u2067txet\u2069',
  'embedded \u202Bsomething\u202C',
  `Z${'\u0301'.repeat(499)}algo`,
  `e${'\u0300'.repeat(COMBINING_MARKS_MAX + 1)}`,
];
const HONEST = ['שלום עולם', 'مرحبا بالجميع', 'Tiếng Việt có dấu', 'नमस्ते दुनिया', '👍🏽 👨‍👩‍👧 1️⃣ ❤️'];

describe('hostile room, round two: user text', () => {
  const { sockets, start } = serverFixture();

  it('refuses bidi controls and stacked combining marks in chat, questions and names; accepts real scripts and emoji', async () => {
    const server = await start();
    const phone = await audience(server.url, 'text-phone-0001');
    sockets.push(phone.socket);
    await expectHarmless(server, async () => {
      for (const text of HOSTILE) {
        expect(await phone.socket.emitWithAck('chat:send', { text })).toMatchObject({ ok: false, error: { code: 'invalid' } });
        expect(await phone.socket.emitWithAck('question:ask', { text })).toMatchObject({ ok: false, error: { code: 'invalid' } });
        expect(await phone.socket.emitWithAck('name:set', { name: text.slice(0, 30) })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      }
    });
    for (const text of HONEST) expect(await phone.socket.emitWithAck('chat:send', { text })).toMatchObject({ ok: true, message: { text } });
  });
});
