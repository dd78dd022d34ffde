import { describe, expect, it } from 'vitest';
import { SharedReads } from './shared-reads.js';

/** A read whose reply the test releases by hand, tagged with what "storage" held when it was sent. */
function manualStore() {
  let version = 0;
  const sent: Array<{ key: string; version: number; release: () => void; fail: (error: Error) => void }> = [];
  const run = (key: string) => () =>
    new Promise<{ version: number }>((resolve, reject) => {
      const at = version;
      sent.push({ key, version: at, release: () => resolve({ version: at }), fail: reject });
    });
  return {
    sent,
    run,
    write: () => version++,
    get version() {
      return version;
    },
  };
}

describe('SharedReads', () => {
  it('sends callers that ask while a read is in flight one read, after it', async () => {
    const reads = new SharedReads();
    const store = manualStore();
    const first = reads.read('questions', store.run('questions'));
    const later = [reads.read('questions', store.run('questions')), reads.read('questions', store.run('questions'))];
    expect(store.sent).toHaveLength(1);
    store.sent[0]!.release();
    await first;
    await expect.poll(() => store.sent.length).toBe(2);
    store.sent[1]!.release();
    const [a, b] = await Promise.all(later);
    expect(a).toBe(b);
    expect(store.sent).toHaveLength(2);
  });

  it('never hands a caller a read that was sent before it asked', async () => {
    const reads = new SharedReads();
    const store = manualStore();
    const first = reads.read('chat', store.run('chat'));
    store.write(); // acknowledged after the first read went out, before the second caller asks
    const askedAt = store.version;
    const second = reads.read('chat', store.run('chat'));
    store.sent[0]!.release();
    expect((await first).version).toBe(0);
    await expect.poll(() => store.sent.length).toBe(2);
    store.sent[1]!.release();
    expect((await second).version).toBeGreaterThanOrEqual(askedAt);
  });

  it('keeps different keys apart, and frees a key once its reads settle', async () => {
    const reads = new SharedReads();
    const store = manualStore();
    const a = reads.read('a', store.run('a'));
    const b = reads.read('b', store.run('b'));
    expect(store.sent.map((read) => read.key)).toEqual(['a', 'b']);
    store.sent[0]!.release();
    store.sent[1]!.release();
    await Promise.all([a, b]);
    await Promise.resolve();
    const again = reads.read('a', store.run('a'));
    expect(store.sent).toHaveLength(3);
    store.sent[2]!.release();
    await again;
  });

  it('passes a failure to every caller of that read, and the next read goes out', async () => {
    const reads = new SharedReads();
    const store = manualStore();
    const first = reads.read('polls', store.run('polls'));
    const second = reads.read('polls', store.run('polls'));
    const third = reads.read('polls', store.run('polls'));
    store.sent[0]!.fail(new Error('Redis went away'));
    await expect(first).rejects.toThrow('Redis went away');
    await expect.poll(() => store.sent.length).toBe(2);
    store.sent[1]!.fail(new Error('still away'));
    await expect(second).rejects.toThrow('still away');
    await expect(third).rejects.toThrow('still away');
    const fourth = reads.read('polls', () => {
      throw new Error('closed');
    });
    await expect(fourth).rejects.toThrow('closed');
    const fifth = reads.read('polls', store.run('polls'));
    expect(store.sent).toHaveLength(3);
    store.sent[2]!.release();
    await expect(fifth).resolves.toEqual({ version: 0 });
  });
});
