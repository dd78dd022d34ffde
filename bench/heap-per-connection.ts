/**
 * What one idle phone costs livedeck's JS heap, by kind of object: heap
 * snapshots of a server before and after N connections, the difference per
 * connection, grouped by constructor (and, for V8's internal arrays, by what
 * holds them). This is how the per-socket closures of the event handlers
 * were found (docs/performance.md).
 *
 * Run: node --expose-gc --import tsx bench/heap-per-connection.ts [N=2000] [rows=30] [chat=0]
 * (chat: messages written before the phones join, so that each snapshot carries a history).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { createServer } from '../demo-server/server.js';
import type { JoinResult } from './messages.js';
import { startGenerators } from './scenario.js';

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

type Totals = Map<string, { bytes: number; count: number }>;

async function takeSnapshot(): Promise<HeapSnapshot> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const chunks: Buffer[] = [];
  for await (const chunk of v8.getHeapSnapshot()) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as HeapSnapshot;
}

/** Self size by constructor; internal arrays are named after the object and property holding them. */
function totals(heap: HeapSnapshot): Totals {
  const { node_fields, node_types, edge_fields, edge_types } = heap.snapshot.meta;
  const nodeSize = node_fields.length;
  const edgeSize = edge_fields.length;
  const [TYPE, NAME, SELF, EDGES] = ['type', 'name', 'self_size', 'edge_count'].map((field) => node_fields.indexOf(field)) as [number, number, number, number];
  const [EDGE_TYPE, EDGE_NAME, EDGE_TO] = ['type', 'name_or_index', 'to_node'].map((field) => edge_fields.indexOf(field)) as [number, number, number];
  const { nodes, edges, strings } = heap;
  const typeOf = (node: number) => node_types[0][nodes[node + TYPE]!]!;
  const holder = new Map<number, string>();
  for (let node = 0, edge = 0; node < nodes.length; node += nodeSize) {
    for (let k = 0; k < nodes[node + EDGES]!; k++, edge += edgeSize) {
      const to = edges[edge + EDGE_TO]!;
      if (typeOf(to) !== 'array' || holder.has(to)) continue;
      const edgeType = edge_types[0][edges[edge + EDGE_TYPE]!];
      const property = edgeType === 'element' || edgeType === 'hidden' ? '[]' : strings[edges[edge + EDGE_NAME]!];
      holder.set(to, `${typeOf(node)} ${strings[nodes[node + NAME]!]!.slice(0, 40) || '(anonymous)'} .${property}`);
    }
  }
  const result: Totals = new Map();
  for (let node = 0; node < nodes.length; node += nodeSize) {
    const type = typeOf(node);
    const name =
      type === 'object' || type === 'closure'
        ? `${type} ${strings[nodes[node + NAME]!] || '(anonymous)'}`
        : type === 'array'
          ? `array held by ${holder.get(node) ?? '?'}`
          : `(${type})`;
    const entry = result.get(name) ?? { bytes: 0, count: 0 };
    entry.bytes += nodes[node + SELF]!;
    entry.count++;
    result.set(name, entry);
  }
  return result;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 2000);
  const rows = Number(process.argv[3] ?? 30);
  const chat = Number(process.argv[4] ?? 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedeck-heap-'));
  const server = await createServer({
    host: '127.0.0.1',
    port: 0,
    dbFile: path.join(dir, 'heap.db'),
    logLevel: 'silent',
    maxConnectionsPerIp: n + 100,
    newClientsPerIpPerMinute: n + 100,
  });
  const [generator] = startGenerators(1);
  try {
    await generator!.request({
      op: 'init',
      init: { url: server.url, offset: 0, count: n, kind: 'wire', concurrency: 200, maxSlides: 0, maxChat: 0 },
    });
    for (let index = 0; index < chat; index++) {
      await server.room.storage.addChat(server.room.sessionId, {
        authorId: 'heap-probe',
        name: 'Probe',
        text: `message ${index} of the history every joining phone receives`,
        ts: Date.now(),
      });
    }
    const before = totals(await takeSnapshot());
    const joined = await generator!.request<JoinResult>({ op: 'join' });
    const connected = n - joined.failures;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = totals(await takeSnapshot());
    const deltas = [...after].map(([name, { bytes, count }]) => ({
      name,
      bytes: (bytes - (before.get(name)?.bytes ?? 0)) / connected,
      count: (count - (before.get(name)?.count ?? 0)) / connected,
    }));
    const total = deltas.reduce((sum, row) => sum + row.bytes, 0);
    process.stdout.write(`${connected} connections (chat history ${chat}): ${(total / 1024).toFixed(1)} KB of JS heap each\n\n  bytes  objects  kind\n`);
    for (const row of deltas.sort((a, b) => b.bytes - a.bytes).slice(0, rows)) {
      process.stdout.write(`${row.bytes.toFixed(0).padStart(7)} ${row.count.toFixed(2).padStart(8)}  ${row.name}\n`);
    }
  } finally {
    generator!.kill();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
