/**
 * Every connection is an open file. Past the process's open-file limit
 * (`ulimit -n`, often 1024) Node can accept nothing, not even `/healthz`,
 * and phones hang instead of being refused. Node cannot raise the limit
 * itself, so the server reads it at start and keeps its connection caps
 * below it, with room left for its own files (database, worker, logs,
 * assets) and for plain HTTP requests; past the caps a handshake is refused
 * at once and a connection beyond the socket bound is closed on accept.
 */
import fs from 'node:fs';

/** Files the process needs besides connections: Node itself, the database and its WAL, the storage worker, logs, Redis, DNS. */
export const FILES_RESERVED = 64;
/** Connections kept for plain HTTP (pages, assets, /healthz, the presenter's API) when Socket.IO is full. */
export const HTTP_HEADROOM = 64;
/** Below this many connections a lowered cap is worth a warning: a real room may not fit. */
const WARN_BELOW = 5000;

/** The soft open-file limit from /proc/self/limits; null when unknown (not Linux) or unlimited. */
export function readOpenFileLimit(limits: string | null = readProcLimits()): number | null {
  const match = limits && /^Max open files\s+(\d+|unlimited)\s/m.exec(limits);
  if (!match || match[1] === 'unlimited') return null;
  return Number(match[1]);
}

function readProcLimits(): string | null {
  try {
    return fs.readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return null;
  }
}

export interface ConnectionBudget {
  /** The cap on Socket.IO connections in effect: the configured one, or lower to fit the file limit. */
  maxConnections: number;
  /** TCP connections the HTTP server keeps (Node closes any beyond it on accept); null: no bound needed. */
  maxSockets: number | null;
  /** Said once at start when the file limit lowers the cap below what a room may need. */
  warning?: string;
}

export function connectionBudget(fileLimit: number | null, configuredMax: number): ConnectionBudget {
  if (fileLimit === null) return { maxConnections: configuredMax, maxSockets: null };
  const maxSockets = Math.max(1, fileLimit - FILES_RESERVED);
  const fits = Math.max(1, maxSockets - HTTP_HEADROOM);
  if (configuredMax <= fits) return { maxConnections: configuredMax, maxSockets };
  const budget: ConnectionBudget = { maxConnections: fits, maxSockets };
  if (fits < WARN_BELOW) {
    budget.warning =
      `the open-file limit (ulimit -n) is ${fileLimit}, so livedeck takes at most ${fits} phones and screens ` +
      `(LIVEDECK_MAX_CONNECTIONS is ${configuredMax}); later ones are refused. For a bigger room, raise it before starting: ` +
      `\`ulimit -n 65536 && npm start\` (systemd: LimitNOFILE=65536; Docker: --ulimit nofile=65536:65536)`;
  }
  return budget;
}
