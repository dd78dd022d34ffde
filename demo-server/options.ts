/**
 * Server options: one typed interface, every option documented with its
 * default, and one function that reads them from the environment.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerOptions {
  /** Interface to listen on. @defaultValue "0.0.0.0" (env HOST) */
  host: string;
  /** Port; 0 picks a free one (tests). @defaultValue 3000 (env PORT) */
  port: number;
  /** The talk's Markdown file. @defaultValue "slides/nodejs-websockets.md" (first CLI argument or env LIVEDECK_TALK) */
  talkFile: string;
  /** SQLite database file. @defaultValue "./data/livedeck.db" (env LIVEDECK_DB) */
  dbFile: string;
  /** The presenter's secret. @defaultValue 128 random bits, new at each start (env LIVEDECK_PRESENTER_TOKEN) */
  presenterToken: string;
  /**
   * Base URL phones should open, when the server sits behind a proxy or a
   * name. @defaultValue http://<each LAN IPv4>:<port>/ (env LIVEDECK_PUBLIC_URL)
   */
  publicUrl: string | undefined;
  /**
   * How browser assets are served: "dist" serves the Vite build, "vite" runs
   * Vite in middleware mode with hot reload (npm run dev).
   * @defaultValue "dist"
   */
  assets: 'dist' | 'vite';
  /** Extra origins allowed to open sockets and call state-changing routes. @defaultValue [] (env LIVEDECK_ALLOWED_ORIGINS, comma-separated) */
  allowedOrigins: string[];
  /** Log level for pino. @defaultValue "info" (env LOG_LEVEL); "silent" in tests */
  logLevel: string;
}

export function generatePresenterToken(): string {
  return crypto.randomBytes(16).toString('base64url');
}

export function defaultOptions(): ServerOptions {
  return {
    host: '0.0.0.0',
    port: 3000,
    talkFile: path.join(PROJECT_ROOT, 'slides', 'nodejs-websockets.md'),
    dbFile: path.join(PROJECT_ROOT, 'data', 'livedeck.db'),
    presenterToken: generatePresenterToken(),
    publicUrl: undefined,
    assets: 'dist',
    allowedOrigins: [],
    logLevel: 'info',
  };
}

export function optionsFromEnvironment(
  env: NodeJS.ProcessEnv,
  args: readonly string[],
): ServerOptions {
  const defaults = defaultOptions();
  const port = env.PORT === undefined ? defaults.port : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0–65535, got "${env.PORT}"`);
  const talkArgument = args.find((arg) => !arg.startsWith('-')) ?? env.LIVEDECK_TALK;
  return {
    ...defaults,
    host: env.HOST || defaults.host,
    port,
    talkFile: talkArgument ? path.resolve(talkArgument) : defaults.talkFile,
    dbFile: env.LIVEDECK_DB ? path.resolve(env.LIVEDECK_DB) : defaults.dbFile,
    presenterToken: env.LIVEDECK_PRESENTER_TOKEN || defaults.presenterToken,
    publicUrl: env.LIVEDECK_PUBLIC_URL || undefined,
    allowedOrigins: (env.LIVEDECK_ALLOWED_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    logLevel: env.LOG_LEVEL || defaults.logLevel,
  };
}
