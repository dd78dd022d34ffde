/**
 * Every installed copy of the realtime stack stays at or above the versions
 * that fixed its published advisories (docs/security.md lists them; the
 * inputs of each are replayed in raw-protocol.test.ts and bad-input.test.ts).
 * Read from package-lock.json, which records every copy npm installs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../demo-server/options.js';

/**
 * [package, lowest safe version in each major line found installed, advisories it closes]. A copy in a major line
 * with no entry fails: its fixes have to be looked up before it may stay (dev tools bring older lines, e.g. ws 7).
 */
const FIXED: Array<[string, string[], string]> = [
  ['socket.io', ['4.6.2'], 'CVE-2024-38355 (unhandled "error" event)'],
  ['engine.io', ['6.4.2'], 'CVE-2023-31125, CVE-2022-41940, CVE-2022-21676 (uncaught exceptions from crafted requests)'],
  ['socket.io-parser', ['4.2.3'], 'CVE-2023-32695, CVE-2022-2421 (packet decoding validation)'],
  // 7.5.10 backports both fixes to the 7.x line (lighthouse, a dev tool, still uses it).
  ['ws', ['8.17.1', '7.5.10'], 'CVE-2024-37890 (too many headers), CVE-2021-32640 (Sec-WebSocket-Protocol ReDoS)'],
];

function compare(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < 3; index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};

describe('hostile room: dependencies with published advisories', () => {
  it.each(FIXED)('every installed %s is at least %s in its major line (%s)', (name, minimums) => {
    const copies = Object.entries(lock.packages).filter(([where]) => where === `node_modules/${name}` || where.endsWith(`/node_modules/${name}`));
    expect(copies.length).toBeGreaterThan(0);
    for (const [where, { version = '0' }] of copies) {
      const minimum = minimums.find((fixed) => fixed.split('.')[0] === version.split('.')[0]);
      const atLeastFixed = minimum !== undefined && compare(version, minimum) >= 0;
      expect({ where, version, atLeastFixed }).toEqual({ where, version, atLeastFixed: true });
    }
  });
});
