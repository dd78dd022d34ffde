/**
 * Identical reads asked for while one is on its way, sent once for all of
 * them. Scaled out, every joining phone's snapshot repeats the same reads
 * of the room (newest chat, questions, poll tallies and entries, held
 * people); in a join storm hundreds are asked for within one round trip to
 * Redis, and each is a command to send, run and decode (docs/performance.md).
 *
 * Other processes write to the same Redis without telling this one, so
 * nothing is kept once read. What is shared is only a read that starts
 * after every one of its callers asked: callers arriving while a read is in
 * flight wait for the next one, which is sent when that one settles. A
 * caller therefore sees every write acknowledged before it asked, exactly
 * as with a read of its own (a phone that joined its room, then reads,
 * misses nothing broadcast in between).
 */
export class SharedReads {
  /** Per key with a read in flight: the read its later callers wait for, and what sends it. */
  private readonly inFlight = new Map<string, { next?: Promise<unknown>; send?: () => void }>();

  /** `run()`'s result, shared with the callers of the same key that asked meanwhile: they must not change it. */
  read<T>(key: string, run: () => Promise<T>): Promise<T> {
    const entry = this.inFlight.get(key);
    if (!entry) return this.start(key, run);
    if (!entry.next) {
      entry.next = new Promise<T>((resolve, reject) => {
        entry.send = () => this.start(key, run).then(resolve, reject);
      });
    }
    return entry.next as Promise<T>;
  }

  private start<T>(key: string, run: () => Promise<T>): Promise<T> {
    this.inFlight.set(key, {});
    let sent: Promise<T>;
    try {
      sent = run();
    } catch (error) {
      sent = Promise.reject(error as Error);
    }
    // When it settles, the read its later callers wait for goes out; without any, the key is free.
    const settled = () => {
      const { send } = this.inFlight.get(key)!;
      if (send) send();
      else this.inFlight.delete(key);
    };
    sent.then(settled, settled);
    return sent;
  }
}
