import { describe, expect, it } from 'vitest';
import { connectionBudget, FILES_RESERVED, HTTP_HEADROOM, readOpenFileLimit } from './file-limit.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 1048576              files
Max locked memory         8388608              8388608              bytes
`;

describe('open-file limit', () => {
  it('reads the soft limit from /proc/self/limits', () => {
    expect(readOpenFileLimit(LIMITS)).toBe(1024);
    expect(readOpenFileLimit(LIMITS.replace('1024     ', 'unlimited'))).toBeNull();
    expect(readOpenFileLimit(null)).toBeNull();
    // This machine's own, whatever it is.
    const own = readOpenFileLimit();
    expect(own === null || own > 0).toBe(true);
  });

  it('keeps the connection cap below the limit, with room for files and HTTP, and says how to raise it', () => {
    const budget = connectionBudget(1024, 20_000);
    expect(budget.maxSockets).toBe(1024 - FILES_RESERVED);
    expect(budget.maxConnections).toBe(1024 - FILES_RESERVED - HTTP_HEADROOM);
    expect(budget.warning).toContain('ulimit -n 65536');
    // A cap that already fits is kept, without a warning.
    expect(connectionBudget(1024, 500)).toEqual({ maxConnections: 500, maxSockets: 1024 - FILES_RESERVED });
    expect(connectionBudget(null, 20_000)).toEqual({ maxConnections: 20_000, maxSockets: null });
    // A generous limit lowers the cap a little, without alarming anyone.
    expect(connectionBudget(20_000, 20_000).warning).toBeUndefined();
  });
});
