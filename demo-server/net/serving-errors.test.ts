import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { errorFacts, QUIET_MS, ServingErrors } from './serving-errors.js';

function logged(): { errors: (now: () => number) => ServingErrors; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const logger = pino({ level: 'info' }, stream);
  return {
    errors: (now) => new ServingErrors(logger, now),
    lines: () =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function emfile(): Error {
  return Object.assign(new Error('spawn /usr/bin/node EMFILE'), {
    code: 'EMFILE',
    syscall: 'spawn /usr/bin/node',
    spawnargs: ['--secret-looking-argument'],
    env: { LIVEDECK_PRESENTER_TOKEN: 'not-for-the-log' },
  });
}

describe('ServingErrors', () => {
  it('logs a failure with its code, what failed and how to fix EMFILE, and nothing else of the error', async () => {
    const log = logged();
    log.errors(() => 0).report('worker-start', emfile());
    await expect.poll(() => log.lines().length).toBe(1);
    const [line] = log.lines();
    expect(line).toMatchObject({ level: 50, failure: 'worker-start', code: 'EMFILE', syscall: 'spawn /usr/bin/node', message: 'spawn /usr/bin/node EMFILE' });
    expect(line!.hint).toContain('ulimit -n');
    expect(JSON.stringify(line)).not.toMatch(/not-for-the-log|secret-looking/);
  });

  it('says a storm of one kind once a minute, with how many it did not say', async () => {
    const log = logged();
    let now = 0;
    const errors = log.errors(() => now);
    for (let index = 0; index < 500; index++) errors.report('accept', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' }));
    // Another kind is its own line.
    errors.report('worker-ipc', Object.assign(new Error('Channel closed'), { code: 'ERR_IPC_CHANNEL_CLOSED' }));
    now = QUIET_MS;
    errors.report('accept', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' }));
    await expect.poll(() => log.lines().length).toBe(3);
    expect(log.lines().map((line) => [line.failure, line.code, line.sinceLastLine])).toEqual([
      ['accept', 'EMFILE', undefined],
      ['worker-ipc', 'ERR_IPC_CHANNEL_CLOSED', undefined],
      ['accept', 'EMFILE', 499],
    ]);
  });

  it('takes whatever was thrown', () => {
    expect(errorFacts('odd')).toEqual({ code: 'UNKNOWN', message: 'odd' });
    expect(errorFacts(undefined)).toEqual({ code: 'UNKNOWN', message: 'undefined' });
  });
});
