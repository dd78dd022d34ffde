import { runScenario } from './scenario.js';
const n = Number(process.argv[2] ?? 10000);
const targets = (process.argv[3] ?? 'reference,livedeck').split(',') as Array<'reference' | 'livedeck'>;
for (const target of targets) {
  console.log(target, n);
  const r = await runScenario({ target, n, kind: 'wire', generators: Number(process.argv[4] ?? 1), concurrency: 500, slides: 5, chat: { chatters: 50, ratePerSecond: 10, messages: 40 }, idleMs: 2000, log: console.log });
  console.log(JSON.stringify({ wall: Math.round(r.wallMs), fail: r.join.firstError, refused: r.chat?.refused, missing: r.fanout.missing, last: r.fanout.lastMs.map(Math.round), ack: r.fanout.ackP50, cpuSlide: r.fanout.serverCpuMsPerSlide }));
}
