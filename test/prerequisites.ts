/**
 * Runs before the tests (`npm test`): the browser and Redis tests need
 * Debian packages: Chromium, redis-server, and a Japanese font
 * (fonts-noto-cjk) for the phone and console in Japanese. A missing one is installed
 * when this machine can (root with apt-get, as in CI), or the run stops at
 * once naming the one command that installs it. The tests never skip: a
 * green run here means what a green run in CI means.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { CHROMIUM } from './browser.js';
import { REDIS_SERVER } from './redis-server.js';

function hasJapaneseFont(): boolean {
  const fonts = spawnSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8' });
  return fonts.status === 0 && fonts.stdout.trim() !== '';
}

function missingPackages(): string[] {
  const missing: string[] = [];
  if (!fs.existsSync(CHROMIUM)) missing.push('chromium');
  if (spawnSync(REDIS_SERVER, ['--version']).status !== 0) missing.push('redis-server');
  // The Japanese screenshots need a font with Japanese glyphs (Chromium draws empty boxes without one).
  if (!hasJapaneseFont()) missing.push('fonts-noto-cjk');
  return missing;
}

function run(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

const missing = missingPackages();
if (missing.length > 0) {
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (canInstall) {
    console.log(`npm test: installing ${missing.join(' and ')} (Debian packages the browser and Redis tests need)`);
    if (!run('apt-get', ['update']) || !run('apt-get', ['install', '-y', '--no-install-recommends', ...missing])) process.exitCode = 1;
  }
  const still = missingPackages();
  if (still.length > 0) {
    console.error(
      `npm test: the browser and Redis tests need ${still.join(' and ')}, missing on this machine. Install with:\n\n` +
        `  sudo apt-get install -y ${still.join(' ')}\n\nthen run npm test again.`,
    );
    process.exitCode = 1;
  }
}
