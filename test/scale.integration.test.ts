/**
 * Scaled out: two livedeck processes (real child processes, `npm start`'s
 * entry point) on different ports share one real redis-server started here.
 * Whatever a phone does on one process, phones on the other see; a killed
 * process loses nothing it acknowledged; a Redis outage degrades a process
 * without taking its phones away, and it catches up when Redis returns.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { io } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { CRASH_LOOP_MS } from '../demo-server/cluster.js';
import { unpackBatches } from '../src/lib/room-batch.js';
import type { Snapshot } from '../src/shared/protocol.js';
import { audience, closeAll, connectClient, presenter, TEST_TOKEN, until, waitForEvent, type TestClient } from './helpers.js';
import { runServerProcess, scaledOutFixture, type ServerProcess, PROCESS_TEST_TIMEOUT } from './process.js';

interface Health {
  ok: boolean;
  audience: number;
  session: number;
  redis?: 'up' | 'down';
  degraded?: boolean;
}

/** Connections that send nothing: the sticky primary holds each (an open file) until its first bytes arrive. */
function idleConnections(url: URL, count: number): Promise<net.Socket[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Socket>((resolve) => {
          const socket = net.connect(Number(url.port), url.hostname, () => resolve(socket));
          // Past the limit the primary closes what it cannot keep: that is its answer, not a failure here.
          socket.on('error', () => resolve(socket));
        }),
    ),
  );
}

/** The worker processes of a `--workers` primary, as the kernel lists its children. */
function workerPids(primary: number): number[] {
  return fs.readFileSync(`/proc/${primary}/task/${primary}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** The TCP connections process `pid` holds (/proc), with their ends and state: which process holds what, seen from outside. */
function tcpConnectionsOf(pid: number): Array<{ local: string; remote: string; established: boolean }> {
  const sockets = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) sockets.add(inode);
    } catch {
      // Closed between the listing and the read.
    }
  }
  // Columns: sl, local address, remote address, state (01: established), queues, timers, retransmits, uid, timeout, inode.
  return fs
    .readFileSync(`/proc/${pid}/net/tcp`, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => sockets.has(fields[9]!))
    .map((fields) => ({ local: fields[1]!, remote: fields[2]!, established: fields[3] === '01' }));
}

/** A port as /proc/net/tcp ends an address. */
const procPort = (port: number) => `:${port.toString(16).toUpperCase().padStart(4, '0')}`;

/** How many connections to `port` process `pid` holds open: which process a connection went to. */
function connectionsHeldBy(pid: number, port: number): number {
  return tcpConnectionsOf(pid).filter((connection) => connection.local.endsWith(procPort(port)) && connection.established).length;
}

/** How many TCP connections process `pid` holds (or opens) to `port` on this machine: a worker's Redis connections. */
function connectionsTo(pid: number, port: number): number {
  return tcpConnectionsOf(pid).filter((connection) => connection.remote.endsWith(procPort(port))).length;
}

/**
 * Kills one of a primary's workers once it is past the crash-loop window and holds its replacement still
 * (SIGSTOP) as soon as it appears, so that it is surely still loading. Seen from outside, the stop can come
 * late on a starved machine: a replacement that already holds a Redis connection may have reported that it
 * serves (a worker connects to Redis before it does). Then it is let go, and once it serves and is past the
 * crash-loop window it is the one killed, until a replacement is caught before it connects.
 * `output`: the primary's log (json, info), which says when a replacement serves.
 */
async function killAndFreezeReplacement(primary: number, readyAt: number, victim: number, redisPort: number, output: () => string): Promise<number> {
  for (;;) {
    // Only a worker past the crash-loop window is replaced at all.
    await until(() => Date.now() - readyAt > CRASH_LOOP_MS, 'the worker to be past the crash-loop window', CRASH_LOOP_MS * 2);
    const before = workerPids(primary);
    process.kill(victim, 'SIGKILL');
    let replacement: number | undefined;
    await until(
      () => {
        replacement = workerPids(primary).find((pid) => !before.includes(pid));
        return replacement !== undefined;
      },
      'the primary to start a replacement',
      60_000,
    );
    process.kill(replacement!, 'SIGSTOP');
    if (connectionsTo(replacement!, redisPort) === 0) return replacement!;
    process.kill(replacement!, 'SIGCONT');
    const served = new RegExp(`"worker":${replacement}\\b[^\\n]*"msg":"the new worker serves"`);
    await until(() => served.test(output()), 'the replacement caught too late to serve', 120_000);
    readyAt = Date.now();
    victim = replacement!;
  }
}

async function health(server: ServerProcess): Promise<Health> {
  return (await (await fetch(`${server.url}/healthz`)).json()) as Health;
}

/** The room's count as this socket last heard it (the announcer sends only changes, so it may have spoken already). */
function audienceSeen(client: { socket: TestClient; snapshot: Snapshot }): () => number {
  let latest = client.snapshot.audience;
  client.socket.on('audience:count', ({ n }) => (latest = n));
  return () => latest;
}

describe('scaled out: two processes sharing one Redis', { timeout: PROCESS_TEST_TIMEOUT }, () => {
  const fixture = scaledOutFixture();
  const { sockets } = fixture;
  let a: ServerProcess;
  let b: ServerProcess;

  const start = () => fixture.start();
  const track = <T extends { socket: TestClient }>(client: T): T => {
    sockets.push(client.socket);
    return client;
  };

  beforeAll(() => {
    [a, b] = fixture.servers as [ServerProcess, ServerProcess];
  });

  it('reports Redis in /healthz', async () => {
    expect(await health(a)).toMatchObject({ ok: true, storage: 'ok', redis: 'up', degraded: false });
  });

  it('the presenter on A moves: phones on A and B follow; a new session on A switches B', async () => {
    const boss = track(await presenter(a.url));
    const onA = track(await audience(a.url, 'follow-phone-a1'));
    const onB = track(await audience(b.url, 'follow-phone-b1'));
    expect(onB.snapshot.sessionId).toBe(onA.snapshot.sessionId);

    const followA = waitForEvent(onA.socket, 'slide:changed', (slide) => slide.h === 2);
    const followB = waitForEvent(onB.socket, 'slide:changed', (slide) => slide.h === 2);
    expect(await boss.socket.emitWithAck('slide:set', { h: 2, v: 0, f: -1 })).toMatchObject({ ok: true });
    expect(await followA).toMatchObject({ h: 2, v: 0 });
    expect(await followB).toMatchObject({ h: 2, v: 0 });

    // B's own view of the control state follows too: a phone joining B now lands on slide 2.
    const late = track(await audience(b.url, 'follow-late-b1'));
    expect(late.snapshot.slide).toMatchObject({ h: 2, v: 0 });

    const fresh = waitForEvent(onB.socket, 'snapshot', (snapshot) => snapshot.sessionId !== onB.snapshot.sessionId);
    const started = await boss.socket.emitWithAck('session:start', {});
    expect(started.ok).toBe(true);
    const switched = await fresh;
    expect(started.ok && switched.sessionId).toBe(started.ok && started.sessionId);
    expect(switched.slide).toMatchObject({ h: 0, v: 0 });

    // The presenter screen is on A; phones joining B are told it is online (B knows from A's reports, within a second).
    const presenterOnlineForNewPhoneOnB = async () => {
      const probe: TestClient = io(b.url, { auth: { role: 'audience', clientId: 'presence-probe-1' }, transports: ['websocket'], forceNew: true });
      const snapshot = await new Promise<Snapshot>((resolve) => probe.once('snapshot', resolve));
      probe.close();
      return snapshot.presenterOnline;
    };
    await until(presenterOnlineForNewPhoneOnB, 'a phone on B sees the presenter on A');
  });

  it('corrects a phone on B that joined just as the presenter connected on A', async () => {
    closeAll(...sockets.splice(0)); // no presenter anywhere now
    const probeStatus = async () => {
      const probe: TestClient = io(b.url, { auth: { role: 'audience', clientId: 'presence-probe-2' }, transports: ['websocket'], forceNew: true });
      const snapshot = await new Promise<Snapshot>((resolve) => probe.once('snapshot', resolve));
      probe.close();
      return snapshot.presenterOnline;
    };
    await until(async () => !(await probeStatus()), 'B reports the presenter offline');

    const heard: boolean[] = [];
    const boss = track(await presenter(a.url));
    const phone: TestClient = io(b.url, { auth: { role: 'audience', clientId: 'presence-late-b1' }, transports: ['websocket'], forceNew: true });
    sockets.push(phone);
    phone.on('snapshot', ({ presenterOnline }) => heard.push(presenterOnline));
    phone.on('presenter:status', ({ online }) => heard.push(online));
    await until(() => heard.at(-1) === true, 'the phone on B ends up told the presenter is online');
    expect(boss.socket.connected).toBe(true);
  });

  it('a chat message sent to B reaches phones on A; the audience count is the whole room', async () => {
    const onA = track(await audience(a.url, 'chat-phone-a01'));
    const onB = track(await audience(b.url, 'chat-phone-b01'));
    const [seenOnA, seenOnB] = [audienceSeen(onA), audienceSeen(onB)];
    const heard = waitForEvent(onA.socket, 'chat:message', (message) => message.text === 'hello from B');
    const reply = await onB.socket.emitWithAck('chat:send', { text: 'hello from B' });
    expect(reply).toMatchObject({ ok: true, message: { text: 'hello from B' } });
    // With the revision of the batch it came in (docs/protocol.md, Revisions).
    expect(await heard).toEqual({ ...(reply.ok && reply.message), rev: expect.any(Number) });

    // Rate limits are shared: one person's budget (5 messages / 10 s) is not multiplied by the number of processes.
    const twinA = track(await audience(a.url, 'chat-twin-0001'));
    const twinB = track(await audience(b.url, 'chat-twin-0001'));
    const spent = [];
    for (let index = 0; index < 6; index++) spent.push(await (index % 2 ? twinA : twinB).socket.emitWithAck('chat:send', { text: `twin ${index}` }));
    expect(spent.filter((ack) => ack.ok)).toHaveLength(5);
    expect(spent.at(-1)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });

    const [onAHealth, onBHealth] = await Promise.all([health(a), health(b)]);
    const room = onAHealth.audience + onBHealth.audience;
    await until(() => seenOnA() === room && seenOnB() === room, `both processes announce ${room}`);
  });

  it('a phone resuming on B from a message it heard first also gets the older one stored just before it', async () => {
    // Across processes a phone may hear a newer message (sent through its own process) before an older one
    // (relayed from the other): resuming from its newest id must not skip the older one.
    const sender = track(await audience(a.url, 'overlap-sender1'));
    const older = await sender.socket.emitWithAck('chat:send', { text: 'stored first, relayed late' });
    const newer = await sender.socket.emitWithAck('chat:send', { text: 'heard first' });
    if (!older.ok || !newer.ok) throw new Error('chat refused');
    const resumed = track(await connectClient(b.url, { role: 'audience', clientId: 'overlap-phone-01', lastChatId: newer.message.id }));
    expect(resumed.snapshot.chat.map((message) => message.text)).toContain('stored first, relayed late');
  });

  it('orders a console’s snapshot on A against changes made on B: one revision clock across processes', async () => {
    const desk = track(await presenter(a.url));
    const asker = track(await audience(b.url, 'revision-asker-b1'));
    const heard = waitForEvent(desk.socket, 'question:updated', (question) => question.text === 'Asked on B');
    const asked = await asker.socket.emitWithAck('question:ask', { text: 'Asked on B' });
    if (!asked.ok) throw new Error(asked.error.message);
    const update = await heard;
    // B's change came after A read the snapshot: a store re-applies it over that snapshot, and skips it under a later one.
    expect(update.rev).toBeGreaterThan(desk.snapshot.rev!);
    const later = track(await presenter(a.url));
    expect(later.snapshot.rev).toBeGreaterThan(update.rev!);
    expect(later.snapshot.questions.map((question) => question.text)).toContain('Asked on B');
  });

  it('a phone that drops on A recovers its connection state on B', async () => {
    const sender = track(await audience(b.url, 'recover-sender1'));
    const heard: string[] = [];
    const socket: TestClient = io(a.url, {
      auth: { role: 'audience', clientId: 'recover-phone-1' },
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 200,
      forceNew: true,
    });
    sockets.push(socket);
    unpackBatches(socket);
    socket.on('chat:message', (message) => heard.push(message.text));
    await new Promise((resolve) => socket.once('snapshot', resolve));
    await sender.socket.emitWithAck('chat:send', { text: 'before the drop' });
    await until(() => heard.includes('before the drop'), 'first message');

    // The tunnel: the transport dies, and the phone comes back through another process.
    const back = new Promise<boolean>((resolve) => socket.once('connect', () => resolve(socket.recovered)));
    const manager = socket.io as unknown as { uri: string; opts: { port?: string } };
    manager.uri = b.url;
    manager.opts.port = new URL(b.url).port;
    socket.io.engine.close();
    await sender.socket.emitWithAck('chat:send', { text: 'while away' });
    expect(await back).toBe(true);
    await until(() => heard.includes('while away'), 'the missed message, replayed by B');
  });

  it('A is killed: its phones reconnect to B and lose nothing acknowledged', async () => {
    const boss = track(await presenter(b.url));
    const phone = track(await audience(a.url, 'doomed-phone-01'));
    const neighbour = track(await audience(b.url, 'calm-phone-0001'));
    const seenByNeighbour = audienceSeen(neighbour);
    const said = await phone.socket.emitWithAck('chat:send', { text: 'acknowledged on A' });
    const asked = await phone.socket.emitWithAck('question:ask', { text: 'will this survive?' });
    expect(said.ok && asked.ok).toBe(true);
    const voted = await neighbour.socket.emitWithAck('question:vote', { id: asked.ok ? asked.question.id : 0, up: true });
    expect(voted).toMatchObject({ ok: true, question: { votes: 2 } });
    expect(await boss.socket.emitWithAck('slide:set', { h: 3, v: 0, f: -1 })).toMatchObject({ ok: true });

    const dropped = new Promise((resolve) => phone.socket.once('disconnect', resolve));
    a.child.kill('SIGKILL');
    await a.exited;
    await dropped;

    // What a load balancer does when a backend dies: the phone's next connection goes to B.
    const again = track(await connectClient(b.url, { role: 'audience', clientId: 'doomed-phone-01' }));
    const snapshot: Snapshot = again.snapshot;
    expect(snapshot.chat.map((message) => message.text)).toContain('acknowledged on A');
    expect(snapshot.questions.find((question) => question.text === 'will this survive?')).toMatchObject({ votes: 2, voted: true });
    expect(snapshot.slide).toMatchObject({ h: 3, v: 0 });
    expect(snapshot.me.authorId).toBe(said.ok ? said.message.authorId : '');

    // The dead process stops counting once its reports stop.
    await until(async () => seenByNeighbour() === (await health(b)).audience, 'the count drops to what B serves');
  });

  it('npm start -- --workers 2: one port, two processes, long-polling sticks to its worker', async () => {
    const workers = fixture.track(runServerProcess({ REDIS_URL: fixture.redis.url, LOG_LEVEL: 'info' }, ['--workers', '2']));
    await workers.ready;
    const phones = [];
    for (let index = 0; index < 4; index++) phones.push(track(await audience(workers.url, `worker-phone-${index}`)));
    const seen = audienceSeen(phones[0]!);
    const poller: TestClient = io(workers.url, { auth: { role: 'audience', clientId: 'worker-poller-1' }, transports: ['polling'], forceNew: true });
    sockets.push(poller);
    await new Promise((resolve) => poller.once('snapshot', resolve));
    const boss = track(await presenter(workers.url));
    const everyone = [...phones.map((phone) => phone.socket), poller];
    const follow = everyone.map((socket) => waitForEvent(socket, 'slide:changed', (slide) => slide.h === 4));
    expect(await boss.socket.emitWithAck('slide:set', { h: 4, v: 0, f: -1 })).toMatchObject({ ok: true });
    await Promise.all(follow);
    // Polling: many requests for one session, each routed by its sid to the worker that owns it.
    expect(await poller.emitWithAck('chat:send', { text: 'polled through the primary' })).toMatchObject({ ok: true });
    // Both workers serve: the room's count is the sum of every process's report (B, still up, is in the same room).
    await until(async () => seen() === 5 + (await health(b)).audience, 'the room counted across both workers and B');
    const pids = new Set<number>();
    workers.child.kill('SIGTERM');
    expect(await workers.exited).toBe(0);
    // Each worker logs its own start (Redis persistence) and its own drain on SIGTERM.
    for (const match of workers.output().matchAll(/"pid":(\d+)[^\n]*"msg":"stopped"/g)) pids.add(Number(match[1]));
    expect(pids.size).toBe(2);
  });

  it('--workers 2: clients hanging up while the primary relays a reply do not take it down', async () => {
    const workers = fixture.track(runServerProcess({ REDIS_URL: fixture.redis.url }, ['--workers', '2']));
    const url = new URL(await workers.ready);
    // The sticky helper relays a request with a body, and its reply, through the primary: hang up meanwhile.
    const body = '40{}';
    const request =
      `POST /socket.io/?EIO=4&transport=polling&sid=${'A'.repeat(20)} HTTP/1.1\r\nHost: x\r\n` +
      `Content-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    await Promise.all(
      Array.from(
        { length: 200 },
        (_, index) =>
          new Promise<void>((resolve) => {
            const client = net.connect(Number(url.port), url.hostname, () => {
              client.write(request);
              setTimeout(() => client.destroy(), index % 20);
            });
            client.on('error', () => undefined);
            client.on('close', () => resolve());
          }),
      ),
    );
    expect((await fetch(`${workers.url}/healthz`)).status).toBe(200);
    track(await audience(workers.url, 'after-hangups-1'));
  });

  it('--workers 2: what a client sends right behind its handshake reaches the worker, not the primary', async () => {
    const workers = fixture.track(runServerProcess({ REDIS_URL: fixture.redis.url }, ['--workers', '2']));
    const url = new URL(await workers.ready);
    // A WebSocket handshake and, in the same write, more frames than the primary reads at once (64 KB): it
    // routes on the first chunk and hands the socket over while the rest is already waiting. The last frame
    // is the phone's Socket.IO connect packet, as a phone sends it the moment the worker's 101 arrives; the
    // padding is Engine.IO no-ops, which the server ignores. A primary that kept reading a socket it handed
    // over swallowed whatever came next, and the phone stayed connected without ever joining.
    const handshake =
      `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${url.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\n\r\n`;
    const noops = Array.from({ length: 16 }, () => maskedTextFrame(`6${'x'.repeat(8191)}`));
    const connect = maskedTextFrame(`40${JSON.stringify({ role: 'audience', clientId: 'unread-phone-01' })}`);
    const client = net.connect(Number(url.port), url.hostname);
    client.on('error', () => undefined);
    let received = '';
    const outcome = new Promise<string>((resolve) => {
      client.on('data', (chunk: Buffer) => {
        // Frames from the server are not masked: their text can be read in place.
        received += chunk.toString('latin1');
        if (received.includes('42["snapshot",')) resolve('snapshot');
      });
      client.on('close', () => resolve('closed before a snapshot'));
    });
    client.write(Buffer.concat([Buffer.from(handshake), ...noops, connect]));
    expect(await outcome).toBe('snapshot');
    expect(received).toMatch(/^HTTP\/1\.1 101 /);
    client.destroy();
  });

  it('--workers 1: a primary out of open files keeps the port, and replaces its worker once it can', async () => {
    const workers = fixture.track(runServerProcess({ REDIS_URL: fixture.redis.url, LOG_FORMAT: 'json' }, ['--workers', '1']));
    const url = new URL(await workers.ready);
    const readyAt = Date.now();
    const primary = workers.child.pid!;
    const worker = Number(fs.readFileSync(`/proc/${primary}/task/${primary}/children`, 'utf8').trim());
    // Only a worker past the crash-loop window is replaced at all.
    await until(() => Date.now() - readyAt > CRASH_LOOP_MS, 'the worker to be past the crash-loop window', CRASH_LOOP_MS * 2);
    // The primary's open-file limit lowered to just above what it holds, and filled by connections that say nothing.
    // Only the soft limit, so it can go back up: a worker inherits the limit of the moment it starts.
    const softLimit = () =>
      spawnSync('prlimit', ['--pid', String(primary), '--nofile', '--raw', '--noheadings', '--output=SOFT'])
        .stdout.toString()
        .trim();
    const setSoftLimit = (soft: string) => expect(spawnSync('prlimit', ['--pid', String(primary), `--nofile=${soft}:`]).status).toBe(0);
    const usual = softLimit();
    const limit = fs.readdirSync(`/proc/${primary}/fd`).length + 16;
    setSoftLimit(String(limit));
    const idle = await idleConnections(url, limit + 40);
    // Its worker dies: starting another needs files the primary has not got (EMFILE).
    process.kill(worker, 'SIGKILL');
    await until(
      () => {
        if (workers.child.exitCode !== null) throw new Error(`the primary exited with ${workers.child.exitCode}:\n${workers.output().slice(-2000)}`);
        return /"failure":"worker-start","code":"EMFILE"/.test(workers.output());
      },
      'the primary to log that it cannot start a worker',
      60_000,
    );
    const logged = workers
      .output()
      .split('\n')
      .find((line) => line.includes('"failure":"worker-start"'))!;
    expect(logged).toContain('ulimit -n');
    expect(logged).not.toContain(TEST_TOKEN);
    setSoftLimit(usual);
    for (const socket of idle) socket.destroy();
    // Files free again: it starts the replacement, which serves on the same port.
    await until(
      async () => {
        if (workers.child.exitCode !== null) throw new Error(`the primary exited with ${workers.child.exitCode}:\n${workers.output().slice(-2000)}`);
        // Bounded: a request handed to the new worker before it serves is never answered.
        return (
          (await fetch(`${url.origin}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
            (response) => response.status,
            () => 0,
          )) === 200
        );
      },
      'a new worker to answer /healthz through the primary',
      120_000,
    );
    track(await audience(workers.url, 'after-emfile-1'));
  });

  it('--workers 2: after a worker dies, new connections go to the one that serves, not to its replacement still loading', async () => {
    const workers = fixture.track(runServerProcess({ REDIS_URL: fixture.redis.url, LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, ['--workers', '2']));
    const url = new URL(await workers.ready);
    const readyAt = Date.now();
    const primary = workers.child.pid!;
    const [victim, survivor] = workerPids(primary) as [number, number];
    const replacement = await killAndFreezeReplacement(primary, readyAt, victim, fixture.redis.port, workers.output);
    try {
      // The phones of the dead worker coming back, one after another: the replacement, holding none, is the one
      // with the fewest open connections; frozen, it cannot answer, so every phone that joins joined the survivor.
      for (let index = 0; index < 6; index++) track(await audience(workers.url, `after-crash-${index}`));
      expect(await (await fetch(`${url.origin}/healthz`)).json()).toMatchObject({ ok: true });
      expect(connectionsHeldBy(survivor, Number(url.port))).toBeGreaterThanOrEqual(6);
    } finally {
      process.kill(replacement, 'SIGCONT');
    }
    // Once it serves, the replacement takes its share again: it has the fewest open connections.
    const served = new RegExp(`"worker":${replacement}\\b[^\\n]*"msg":"the new worker serves"`);
    await until(() => served.test(workers.output()), 'the replacement to serve', 120_000);
    track(await audience(workers.url, 'after-crash-late'));
    expect(connectionsHeldBy(replacement, Number(url.port))).toBe(1);
  });

  it('--workers 1: while no worker serves, a new connection waits in the primary for the replacement (503 after 30 s)', async () => {
    const workers = fixture.track(runServerProcess({ REDIS_URL: fixture.redis.url, LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, ['--workers', '1']));
    const url = new URL(await workers.ready);
    const readyAt = Date.now();
    const primary = workers.child.pid!;
    const replacement = await killAndFreezeReplacement(primary, readyAt, workerPids(primary)[0]!, fixture.redis.port, workers.output);
    // Bounds for a hang only: the primary answers a request it held 30 s; a replacement loads in 40 s at worst.
    const healthz = () => fetch(`${url.origin}/healthz`, { signal: AbortSignal.timeout(120_000) });
    let answer: Promise<number>;
    try {
      // No worker ever serves it: the primary says so, and when to try again.
      const refused = await healthz();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('2');
      answer = healthz().then((response) => response.status);
      // Accepted by the primary (held there, or handed to the frozen replacement) before the replacement goes on.
      await until(() => connectionsHeldBy(primary, Number(url.port)) === 1, 'the primary to accept the request');
    } finally {
      process.kill(replacement, 'SIGCONT');
    }
    expect(await answer).toBe(200);
  });

  it('--workers without REDIS_URL refuses to start, with one line', async () => {
    const refused = runServerProcess({ REDIS_URL: '' }, ['--workers', '2']);
    refused.ready.catch(() => undefined);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('livedeck: --workers needs REDIS_URL');
  });

  it('Redis down: B keeps serving its phones, reports degraded, and catches up when Redis returns', async () => {
    const c = await start();
    const boss = track(await presenter(c.url));
    const phone = track(await audience(b.url, 'outage-phone-01'));
    const before = await phone.socket.emitWithAck('chat:send', { text: 'before the outage' });
    expect(before.ok).toBe(true);

    await fixture.redis.stop();
    await until(async () => (await health(b)).degraded === true, 'B reports degraded');
    expect(await health(b)).toMatchObject({ ok: false, storage: 'failing', redis: 'down', degraded: true });
    // Still connected and answering at once: a write that cannot be stored is refused, never acknowledged unsaved.
    const socketId = phone.socket.id;
    expect(phone.socket.connected).toBe(true);
    expect(await phone.socket.emitWithAck('chat:send', { text: 'during the outage' })).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    expect((await fetch(`${b.url}/`)).status).toBe(200);
    expect((await fetch(`${b.url}/api/talk`)).status).toBe(200);

    await fixture.redis.start();
    await until(async () => (await health(b)).redis === 'up' && (await health(c)).redis === 'up', 'Redis is back for B and C');
    const follow = waitForEvent(phone.socket, 'slide:changed', (slide) => slide.h === 1);
    await until(async () => (await boss.socket.emitWithAck('slide:set', { h: 1, v: 0, f: -1 })).ok, 'the presenter on C can move again');
    expect(await follow).toMatchObject({ h: 1, v: 0 });
    // The same connection all along: the phone never had to come back.
    expect(phone.socket.id).toBe(socketId);
    const after = await phone.socket.emitWithAck('chat:send', { text: 'after the outage' });
    expect(after.ok).toBe(true);
    const fresh = track(await audience(c.url, 'outage-late-001'));
    const texts = fresh.snapshot.chat.map((message) => message.text);
    expect(texts).toContain('before the outage');
    expect(texts).toContain('after the outage');
    expect(texts).not.toContain('during the outage');
    // Generous: Redis stops and starts, and three processes reconnect to it, on a shared and loaded machine.
  }, 90_000);
});

/** A client's WebSocket text frame (masked, as clients must), up to 64 KB of payload. */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = crypto.randomBytes(4);
  const length = payload.length < 126 ? [0x80 | payload.length] : [0x80 | 126, payload.length >> 8, payload.length & 0xff];
  return Buffer.concat([Buffer.from([0x81, ...length]), mask, payload.map((byte, index) => byte ^ mask[index % 4]!)]);
}
