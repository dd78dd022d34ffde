import { runChatThroughput } from './chat-throughput.js';
const r = await runChatThroughput({ listeners: 50, durationMs: 1000, concurrency: 64, log: console.log });
console.log(JSON.stringify(r.variants.map(v => [v.name, Math.round(v.serverRate), Math.round(v.deliveredRate), v.complete])));
