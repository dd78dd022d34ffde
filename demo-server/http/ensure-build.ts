/**
 * `npm start` on a fresh clone has no dist/: build the browser bundle first,
 * and rebuild when a source file is newer than the last build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../options.js';
import { DIST_DIR, PAGES } from './pages.js';

const STAMP = path.join(DIST_DIR, '.build-stamp');
const INPUTS = ['src', 'public', 'vite.config.ts', 'vite-plugins', 'package-lock.json'];

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

export async function ensureBuild(log: (line: string) => void): Promise<void> {
  if (!buildIsStale()) return;
  log('building the browser bundle (vite build)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  fs.writeFileSync(STAMP, new Date().toISOString());
}
