// Temporary: per-connection heap breakdown by constructor (not part of the benchmark).
import v8 from 'node:v8';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { createServer } from '../demo-server/server.js';
import { startGenerators } from './scenario.js';

function aggregate(): Map<string, { size: number; count: number }> {
  const chunks: Buffer[] = [];
  const stream = v8.getHeapSnapshot();
  return new Promise((resolve) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const snap = JSON.parse(Buffer.concat(chunks).toString());
      const f = snap.snapshot.meta.node_fields as string[];
      const types = snap.snapshot.meta.node_types[0] as string[];
      const nf = f.length, ti = f.indexOf('type'), ni = f.indexOf('name'), si = f.indexOf('self_size');
      const nodes = snap.nodes as number[]; const strings = snap.strings as string[];
      const m = new Map<string, { size: number; count: number }>();
      const ef = snap.snapshot.meta.edge_fields as string[]; const etypes = snap.snapshot.meta.edge_types[0] as string[];
      const eF = ef.length, eti = ef.indexOf('type'), eni = ef.indexOf('name_or_index'), eto = ef.indexOf('to_node');
      const eci = f.indexOf('edge_count'); const edges = snap.edges as number[];
      const retainer = new Map<number, string>();
      let e = 0;
      for (let i = 0; i < nodes.length; i += nf) {
        const pname = strings[nodes[i + ni]!]!; const ptype = types[nodes[i + ti]!]!;
        for (let k = 0; k < nodes[i + eci]!; k++, e += eF) {
          const to = edges[e + eto]!; const et = etypes[edges[e + eti]!]!;
          const en = et === 'element' || et === 'hidden' ? '[]' : strings[edges[e + eni]!];
          if (types[nodes[to + ti]!] === 'array' && !retainer.has(to)) {
            let label = `${ptype}:${pname.slice(0, 40)}.${en}`;
            if (en === 'properties' && nodes[to + si]! > 300) {
              const keys: string[] = []; let e2 = 0;
              // find this node's edge start: recompute by scanning (slow but fine for a probe)
              for (let j = 0, ee = 0; j < nodes.length; j += nf) { if (j === i) { e2 = ee; break; } ee += nodes[j + eci]! * eF; }
              for (let k2 = 0; k2 < nodes[i + eci]!; k2++) { const t2 = etypes[edges[e2 + k2 * eF + eti]!]; if (t2 === 'property') keys.push(strings[edges[e2 + k2 * eF + eni]!]!); }
              label += ` {${keys.slice(0, 12).join(',')}}`;
            }
            retainer.set(to, label);
          }
        }
      }
      for (let i = 0; i < nodes.length; i += nf) {
        const type = types[nodes[i + ti]!]!;
        const name = type === 'object' || type === 'closure' ? `${type}:${strings[nodes[i + ni]!]}` : type === 'array' ? `(array) <- ${retainer.get(i)}` : `(${type})`;
        const e = m.get(name) ?? { size: 0, count: 0 }; e.size += nodes[i + si]!; e.count++; m.set(name, e);
      }
      resolve(m);
    });
  }) as never;
}
const N = Number(process.argv[2] ?? 2000);
const TOP = Number(process.argv[3] ?? 45);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heap-'));
const server = await createServer({ host: '127.0.0.1', port: 0, dbFile: path.join(dir, 'b.db'), logLevel: 'silent', maxConnectionsPerIp: 15000, newClientsPerIpPerMinute: 15000 });
const [gen] = startGenerators(1);
await gen!.request({ op: 'init', init: { url: server.url, offset: 0, count: N, kind: 'wire', concurrency: 200, maxSlides: 0, maxChat: 0 } });
(globalThis as any).gc?.();
const before = await aggregate();
const j = await gen!.request<any>({ op: 'join' });
console.log('failures', j.failures, j.firstError);
await new Promise((r) => setTimeout(r, 2000));
(globalThis as any).gc?.(); (globalThis as any).gc?.();
const after = await aggregate();
const rows = [...after].map(([k, v]) => ({ k, d: v.size - (before.get(k)?.size ?? 0), c: v.count - (before.get(k)?.count ?? 0) })).sort((a, b) => b.d - a.d);
let total = 0; for (const r of rows) total += r.d;
console.log('total per conn bytes', (total / N).toFixed(0));
for (const r of rows.slice(0, TOP)) console.log((r.d / N).toFixed(0).padStart(6), (r.c / N).toFixed(2).padStart(7), r.k);
gen!.kill(); await server.close(); process.exit(0);
