/**
 * A phone's chat resumes without a gap when its process dies and its next
 * connections go to another one (two real livedeck processes sharing a real
 * redis-server), driven by the page's own socket layer (src/lib/socket.ts)
 * and resume point (src/lib/chat-resume.ts).
 *
 * The case the two-process soak hit: on the survivor, the room's traffic
 * reaches the phone from its join, and under load its snapshot (the chat it
 * missed) can take seconds to follow. If the connection drops in between,
 * the phone must not resume from the newer message it heard meanwhile, nor
 * take a restored connection for a caught-up one.
 */
import { describe, expect, it } from 'vitest';
import { followChat, type ChatResume } from '../src/lib/chat-resume.js';
import { connect } from '../src/lib/socket.js';
import { audience, until, waitForEvent } from './helpers.js';
import { PROCESS_TEST_TIMEOUT, scaledOutFixture, type ServerProcess } from './process.js';

/** More than the ids a scaled-out snapshot repeats before `lastChatId` (room-snapshots.ts). */
const MISSED = 25;

describe('chat resume across processes', { timeout: PROCESS_TEST_TIMEOUT }, () => {
  const fixture = scaledOutFixture();

  it('a phone moved from a killed process loses nothing when its first connection to the survivor drops before its snapshot', async () => {
    const [a, b] = fixture.servers as [ServerProcess, ServerProcess];
    // Senders on B, taking turns within each one's chat budget (5 lines in 10 s).
    const senders = await Promise.all(Array.from({ length: 6 }, (_, i) => audience(b.url, `resume-sender-0${i}`)));
    fixture.sockets.push(...senders.map((sender) => sender.socket));
    let sent = 0;
    const send = async (text: string) => {
      const reply = await senders[Math.floor(sent++ / 5)]!.socket.emitWithAck('chat:send', { text });
      if (!reply.ok) throw new Error(reply.error.message);
    };

    // As the phone page does (src/audience/main.ts, room.ts): every (re)connection sends the current resume point.
    const page: { resume?: ChatResume } = {};
    const phone = connect(() => {
      const lastChatId = page.resume?.lastChatId;
      return { role: 'audience', clientId: 'resume-phone-0001', ...(lastChatId !== undefined ? { lastChatId } : {}) };
    }, a.url);
    fixture.sockets.push(phone);
    page.resume = followChat(phone);
    const heard = new Set<string>();
    phone.on('chat:message', (message) => heard.add(message.text));
    phone.on('snapshot', (snapshot) => snapshot.chat.forEach((message) => heard.add(message.text)));

    // The network loses what the survivor sends after the join while this is set: the snapshot still on its way.
    const manager = phone.io as unknown as { uri: string; opts: { port?: string }; ondata: (data: unknown) => void };
    const ondata = manager.ondata;
    let snapshotsLost = 0;
    let loseSnapshots = false;
    manager.ondata = function (this: unknown, data: unknown) {
      if (loseSnapshots && typeof data === 'string' && data.startsWith('2["snapshot"')) snapshotsLost++;
      else ondata.call(this, data);
    };

    await waitForEvent(phone, 'snapshot', () => true);
    await send('before the crash');
    await until(() => heard.has('before the crash'), 'the first message on A');

    const dropped = new Promise((resolve) => phone.once('disconnect', resolve));
    a.child.kill('SIGKILL');
    await a.exited;
    await dropped;
    for (let i = 1; i <= MISSED; i++) await send(`while away ${i}`);

    // A load balancer sends the phone's next attempts to B, which cannot restore a connection A never wrote.
    loseSnapshots = true;
    manager.uri = b.url;
    manager.opts.port = new URL(b.url).port;
    // B sent the snapshot (it follows the join): a message now reaches the phone as it would before a slow snapshot.
    await until(() => snapshotsLost > 0, 'the phone joined on B');
    await send('heard before the snapshot');
    await until(() => heard.has('heard before the snapshot'), 'a live message on B');

    // The connection drops before the snapshot arrives; Socket.IO reconnects by itself, to B.
    loseSnapshots = false;
    phone.io.engine.close();

    const missed = Array.from({ length: MISSED }, (_, i) => `while away ${i + 1}`);
    await until(() => missed.every((text) => heard.has(text)), 'every message sent while the phone was away');
    expect(missed.filter((text) => !heard.has(text))).toEqual([]);
  });
});
