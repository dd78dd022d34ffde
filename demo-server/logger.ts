/**
 * The server's log: human-readable lines in a terminal (pino-pretty), one
 * JSON object per line anywhere else (a service manager, a file, a log
 * collector). LOG_FORMAT chooses explicitly.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Defence in depth: nothing logs headers or auth today, but if someone does, the token stays out. */
const REDACT = ['req.headers.authorization', 'headers.authorization', 'token', 'auth.token'];

export function createLogger(level: string, format: LogFormat, destination: DestinationStream | NodeJS.WritableStream = process.stdout): Logger {
  const options = { level, redact: REDACT };
  if (format === 'json') return pino(options, destination as DestinationStream);
  const colorize = 'isTTY' in destination && destination.isTTY === true;
  // Synchronous: the last lines before an exit (a start failure, a signal) must reach the terminal.
  return pino(options, PinoPretty({ destination, colorize, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
}
