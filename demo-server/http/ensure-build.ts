/**
 * `npm start` on a fresh clone has no dist/: build the browser bundle first,
 * and rebuild when a source file is newer than the last build.
 *
 * Several processes may start at once (`--workers`, tests starting servers
 * in parallel) while others already serve dist/: one builds at a time (the
 * others wait and find it fresh), into a directory of its own that replaces
 * dist/ whole, so no server ever reads a half-written or emptied dist/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../options.js';
import { DIST_DIR, PAGES } from './pages.js';

const STAMP_NAME = '.build-stamp';
const STAMP = path.join(DIST_DIR, STAMP_NAME);
const INPUTS = ['src', 'public', 'vite.config.ts', 'vite-plugins', 'package-lock.json'];
const LOCK = `${DIST_DIR}.lock`;
/** A lock older than this was left by a build that died: take it over. */
const STALE_LOCK_MS = 5 * 60_000;

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(target).reduce((newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))), stat.mtimeMs);
}

export function buildIsStale(): boolean {
  if (!fs.existsSync(STAMP)) return true;
  if (Object.values(PAGES).some((page) => !fs.existsSync(path.join(DIST_DIR, page)))) return true;
  const built = fs.statSync(STAMP).mtimeMs;
  return INPUTS.some((input) => newestMtime(path.join(PROJECT_ROOT, input)) > built);
}

async function withBuildLock(work: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    await work();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

export async function ensureBuild(log: (line: string) => void): Promise<void> {
  if (!buildIsStale()) return;
  await withBuildLock(async () => {
    // Another process may have built it while this one waited for the lock.
    if (!buildIsStale()) return;
    log('building the browser bundle (vite build)…');
    // Stamped with the time the build started: a file saved during the build makes the next start rebuild.
    const startedAt = new Date();
    const staging = `${DIST_DIR}.building-${process.pid}`;
    const retired = `${DIST_DIR}.old-${process.pid}`;
    const { build } = await import('vite');
    await build({ configFile: path.join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
    const stamp = path.join(staging, STAMP_NAME);
    fs.writeFileSync(stamp, startedAt.toISOString());
    fs.utimesSync(stamp, startedAt, startedAt);
    if (fs.existsSync(DIST_DIR)) fs.renameSync(DIST_DIR, retired);
    fs.renameSync(staging, DIST_DIR);
    fs.rmSync(retired, { recursive: true, force: true });
  });
}
