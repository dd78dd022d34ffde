/**
 * Runs the nginx setup of docs/deploy.md for real, on this machine: the
 * `nginx` block is taken from the document itself (so what is documented is
 * what is checked), with 127.0.0.1 ports in place of the two machines, in
 * front of two livedeck processes sharing a real redis-server.
 *
 * Not part of `npm test` (CI has no nginx). Run: `npx tsx test/nginx-check.ts`
 * (needs `nginx` and `redis-server`: apt-get install -y nginx-light redis-server).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { PROJECT_ROOT } from '../demo-server/options.js';
import { unpackBatches } from '../src/lib/room-batch.js';
import type { Snapshot } from '../src/shared/protocol.js';
import { presenter, until, waitForEvent, type TestClient } from './helpers.js';
import { runServerProcess, type ServerProcess } from './process.js';
import { freePort, startRedis } from './redis-server.js';

const NGINX = process.env.NGINX_BIN ?? 'nginx';

function documentedConfig(): string {
  const doc = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'deploy.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/deploy.md has no ```nginx block');
  return block[1]!;
}

const audienceOf = async (server: ServerProcess) => ((await (await fetch(`${server.url}/healthz`)).json()) as { audience: number }).audience;

function check(what: string): void {
  process.stdout.write(`ok - ${what}\n`);
}

/** A phone as the page behaves: reconnects by itself to the one URL it knows, and keeps what it was told. */
function phone(url: string, clientId: string, transports: Array<'websocket' | 'polling'>) {
  const socket: TestClient = io(url, {
    auth: { role: 'audience', clientId },
    transports,
    reconnectionDelay: 200,
    reconnectionDelayMax: 500,
    forceNew: true,
  });
  const snapshots: Snapshot[] = [];
  const chat: string[] = [];
  socket.on('snapshot', (snapshot) => {
    snapshots.push(snapshot);
    for (const message of snapshot.chat) if (!chat.includes(message.text)) chat.push(message.text);
  });
  unpackBatches(socket);
  socket.on('chat:message', (message) => chat.push(message.text));
  return { socket, snapshots, chat, ready: until(() => snapshots.length > 0, `${clientId} joins`) };
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedeck-nginx-'));
  const [portA, portB, portNginx] = [await freePort(), await freePort(), await freePort()];
  const publicUrl = `http://127.0.0.1:${portNginx}/`;
  const processes: ServerProcess[] = [];
  const sockets: TestClient[] = [];
  let nginx: ReturnType<typeof spawn> | undefined;
  try {
    for (const [node, port] of [
      ['a', portA],
      ['b', portB],
    ] as const) {
      const server = runServerProcess({
        REDIS_URL: redis.url,
        PORT: String(port),
        LIVEDECK_NODE_ID: node,
        LIVEDECK_PUBLIC_URL: publicUrl,
      });
      processes.push(server);
      await server.ready;
    }
    const [a, b] = processes as [ServerProcess, ServerProcess];

    const site = documentedConfig()
      .replaceAll('10.0.0.11:3000', `127.0.0.1:${portA}`)
      .replaceAll('10.0.0.12:3000', `127.0.0.1:${portB}`)
      .replace('listen 80;', `listen 127.0.0.1:${portNginx};`);
    fs.writeFileSync(path.join(dir, 'livedeck.conf'), site);
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      `worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  include ${dir}/livedeck.conf;
}
`,
    );
    nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'inherit' });
    await until(async () => (await fetch(`${publicUrl}healthz`).catch(() => undefined))?.ok === true, 'nginx answers');
    check(`nginx ${publicUrl} in front of livedeck a (:${portA}) and b (:${portB}), Redis ${redis.url}`);

    const phones = Array.from({ length: 8 }, (_, index) => phone(publicUrl, `nginx-phone-${index}`, ['websocket']));
    const poller = phone(publicUrl, 'nginx-polling-1', ['polling']);
    const everyone = [...phones, poller];
    everyone.forEach((each) => sockets.push(each.socket));
    await Promise.all(everyone.map((each) => each.ready));
    const [onA, onB] = [await audienceOf(a), await audienceOf(b)];
    if (onA === 0 || onB === 0 || onA + onB !== everyone.length) throw new Error(`phones not spread: a=${onA} b=${onB}`);
    check(`9 phones joined through nginx, spread over both processes (a=${onA}, b=${onB}), one of them on HTTP long-polling`);

    const boss = await presenter(publicUrl);
    sockets.push(boss.socket);
    const follow = everyone.map((each) => waitForEvent(each.socket, 'slide:changed', (slide) => slide.h === 2));
    const moved = await boss.socket.emitWithAck('slide:set', { h: 2, v: 0, f: -1 });
    if (!moved.ok) throw new Error(`slide:set refused: ${JSON.stringify(moved)}`);
    await Promise.all(follow);
    check('the presenter moved; every phone followed, on either process and transport');

    const said = await poller.socket.emitWithAck('chat:send', { text: 'sent by long-polling' });
    if (!said.ok) throw new Error(`chat refused: ${JSON.stringify(said)}`);
    await until(() => everyone.every((each) => each.chat.includes('sent by long-polling')), 'everyone hears the chat');
    check('a chat message sent over long-polling (one session, many requests, one process) reached everyone');

    const before = everyone.map((each) => each.snapshots.length);
    a.child.kill('SIGKILL');
    await a.exited;
    await until(async () => (await audienceOf(b)) === everyone.length, 'every phone is on b', 30_000);
    const moved2 = everyone.filter((each, index) => each.snapshots.length > before[index]!);
    for (const each of moved2) {
      const last = each.snapshots.at(-1)!;
      if (last.slide.h !== 2 || !last.chat.some((message) => message.text === 'sent by long-polling')) {
        throw new Error('a phone that moved to b lost acknowledged state');
      }
    }
    check(`process a killed: its ${moved2.length} phones reconnected through nginx to b, with the slide and the chat`);
  } finally {
    for (const socket of sockets) socket.close();
    nginx?.kill('SIGTERM');
    for (const server of processes) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await redis.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`not ok - ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
