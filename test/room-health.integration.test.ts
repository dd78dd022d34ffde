/**
 * Room health on the console (issue 13, item 5), over real sockets: phones
 * report drawing a live slide, and the console learns the push latency
 * (p50 / p95), phones looking back, phones that reconnected and the
 * slowest phones' transport.
 */
import { describe, expect, it } from 'vitest';
import type { LiveDeckServer } from '../demo-server/server.js';
import { HEALTH_SAMPLE_TARGET } from '../src/shared/limits.js';
import { audience, presenter, serverFixture, waitForEvent } from './helpers.js';

describe('room health', () => {
  let server: LiveDeckServer;
  const { sockets, start } = serverFixture();

  it('measures the move-to-screen latency from the phones, and counts phones looking back and reconnecting', async () => {
    server = await start();
    const desk = await presenter(server.url);
    const phones = await Promise.all(Array.from({ length: 6 }, (_, index) => audience(server.url, `health-phone-${index}`)));
    sockets.push(desk.socket, ...phones.map((phone) => phone.socket));
    expect(desk.snapshot.health).toMatchObject({ latency: null, behind: 0, reconnected: 0 });
    expect(phones[0]!.snapshot.health).toBeUndefined();

    const arrived = phones.map((phone) => waitForEvent(phone.socket, 'slide:changed', (slide) => slide.h === 1));
    const moved = await desk.socket.emitWithAck('slide:set', { h: 1, v: 0, f: -1 });
    if (!moved.ok) throw new Error(moved.error.message);
    await Promise.all(arrived);
    // Each phone takes 30 ms to draw the slide, then reports (the server never counts more drawing time than has passed).
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (const phone of phones) phone.socket.emit('slide:shown', { seq: moved.seq, drawMs: 30 });
    phones[0]!.socket.emit('follow:state', { behind: true });
    phones[1]!.socket.emit('follow:state', { behind: true });
    phones[1]!.socket.emit('follow:state', { behind: false });
    // A report for a move that never happened counts for nothing.
    phones[2]!.socket.emit('slide:shown', { seq: moved.seq + 50, drawMs: 1 });

    const health = await waitForEvent(desk.socket, 'room:health', (update) => update.latency?.samples === phones.length && update.behind === 1, 8000);
    expect(health.phones).toBe(6);
    expect(health.latency!.p50).toBeGreaterThanOrEqual(30);
    expect(health.latency!.p95).toBeGreaterThanOrEqual(health.latency!.p50);
    expect(health.slowest.websocket).toBeGreaterThanOrEqual(1);
    expect(health.slowest.polling).toBe(0);

    // A phone that drops and comes back within the minute has reconnected.
    phones[3]!.socket.close();
    await expect.poll(() => server.room.audienceCount).toBe(5);
    const back = await audience(server.url, 'health-phone-3');
    sockets.push(back.socket);
    await waitForEvent(desk.socket, 'room:health', (update) => update.reconnected === 1 && update.phones === 6, 8000);
  });

  it('takes reports from phones only, and at most a few times the sample target per move', async () => {
    server = await start();
    const desk = await presenter(server.url);
    sockets.push(desk.socket);
    expect(await desk.socket.emitWithAck('slide:shown', { seq: 0, drawMs: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const moved = await desk.socket.emitWithAck('slide:set', { h: 1, v: 0, f: -1 });
    if (!moved.ok) throw new Error(moved.error.message);
    const phones = await Promise.all(Array.from({ length: 8 }, (_, index) => audience(server.url, `health-flood-${index}`)));
    sockets.push(...phones.map((phone) => phone.socket));
    // Far more reports than any sampling would send: each phone's own rate limit, then the per-move cap, bound them.
    await Promise.all(phones.flatMap((phone) => Array.from({ length: 20 }, () => phone.socket.emitWithAck('slide:shown', { seq: moved.seq, drawMs: 5 }))));
    expect(server.room.health.summary().latency!.samples).toBeLessThanOrEqual(HEALTH_SAMPLE_TARGET * 3);
    expect(server.room.health.summary().latency!.samples).toBeGreaterThan(0);
  });
});
