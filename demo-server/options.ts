/**
 * Server options: one typed interface, every option documented with its
 * default, and one function that reads them from the environment.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import { DEFAULT_QUESTIONS_PER_PERSON, DRIVER_TAKEOVER_MS } from '../src/shared/limits.js';
import { LOG_FORMATS, type LogFormat } from './logger.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerOptions {
  /** Interface to listen on. @defaultValue "0.0.0.0" (env HOST) */
  host: string;
  /** Port; 0 picks a free one (tests). @defaultValue 3000 (env PORT) */
  port: number;
  /** The talk live at start. @defaultValue "slides/nodejs-websockets.md" (first CLI argument or env LIVEDECK_TALK) */
  talkFile: string;
  /**
   * The series: every `*.md` file in this folder is a talk the presenter can
   * make live (the start talk is one of them wherever it lives).
   * @defaultValue "slides/" of the project (env LIVEDECK_SLIDES)
   */
  slidesDir: string;
  /** SQLite database file. @defaultValue "./data/livedeck.db" (env LIVEDECK_DB) */
  dbFile: string;
  /**
   * The presenter's secret, at least PRESENTER_TOKEN_MIN_LENGTH characters.
   * @defaultValue 128 random bits, new at each start (env LIVEDECK_PRESENTER_TOKEN)
   */
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
  /**
   * "pretty": one readable line per event (pino-pretty), for a terminal;
   * "json": one JSON object per line, for a log collector.
   * @defaultValue "pretty" when stdout is a terminal, else "json" (env LOG_FORMAT)
   */
  logFormat: LogFormat;
  /** Where log lines go. @defaultValue process.stdout */
  logDestination: DestinationStream | NodeJS.WritableStream;
  /** How often the number of phones is logged, while it changes. @defaultValue 10000 ms */
  audienceLogMs: number;
  /** Co-presenters: how long the driving presenter's screens must all be gone before another may take over. @defaultValue 30000 ms */
  driverTakeoverMs: number;
  /**
   * Concurrent connections from one IP address. A conference NAT puts a
   * whole room behind one address, so this is high.
   * @defaultValue 500 (env LIVEDECK_MAX_CONNECTIONS_PER_IP)
   */
  maxConnectionsPerIp: number;
  /**
   * Behind a reverse proxy: take the client address for per-address limits
   * from the last X-Forwarded-For entry. Only enable it when a proxy you run
   * sets that header. @defaultValue false (env LIVEDECK_TRUST_PROXY=1)
   */
  trustProxy: boolean;
  /** Concurrent connections in total. @defaultValue 20000 (env LIVEDECK_MAX_CONNECTIONS) */
  maxConnections: number;
  /**
   * New identities (clientIds this server has not seen from that address)
   * one IP may bring per minute; reconnects of a known clientId are free.
   * @defaultValue 300 (env LIVEDECK_NEW_CLIENTS_PER_IP_PER_MINUTE)
   */
  newClientsPerIpPerMinute: number;
  /**
   * Identities (clientIds) one IP address may vote with in a session; the
   * votes of later ones are refused, so one address cannot outvote a room
   * by inventing identities. Behind a venue NAT the whole room shares one
   * address: raise it to the room size.
   * @defaultValue 100 (env LIVEDECK_MAX_IDENTITIES_PER_IP)
   */
  maxIdentitiesPerIp: number;
  /**
   * Questions one person may ask in a session; past it `question:ask` is
   * refused `forbidden`. Presenters ask freely.
   * @defaultValue 20 (env LIVEDECK_MAX_QUESTIONS_PER_PERSON)
   */
  maxQuestionsPerPerson: number;
  /**
   * HTTP requests (pages, assets, API; not Socket.IO's own) one IP may make
   * per 10 s; past it `429`. A request proving the presenter token always
   * passes. @defaultValue 1000 (env LIVEDECK_HTTP_REQUESTS_PER_IP)
   */
  httpRequestsPerIp: number;
  /**
   * Connections one IP may hold open before sending a complete request
   * (slow-loris); past it the oldest is closed. Not applied behind a
   * trusted proxy. @defaultValue 128 (env LIVEDECK_MAX_PENDING_CONNECTIONS_PER_IP)
   */
  maxPendingConnectionsPerIp: number;
  /** Time for a request's headers to arrive. @defaultValue 10000 ms */
  headersTimeoutMs: number;
  /** Time for a whole request to arrive (not for the answer: long-polls are fine). @defaultValue 30000 ms */
  requestTimeoutMs: number;
  /** Wrong presenter tokens from one IP: slowed, then blocked. @defaultValue see DEFAULT_LOCKOUT */
  presenterLockout: LockoutOptions;
  /**
   * Bytes a connection may have waiting to be sent before it is dropped (a
   * phone that stopped reading). @defaultValue 1 MiB (env LIVEDECK_SLOW_CONSUMER_BYTES)
   */
  slowConsumerBytes: number;
  /** How often buffered bytes are checked. @defaultValue 1000 ms */
  slowConsumerCheckMs: number;
  /** On SIGTERM: how long in-flight events and closing connections may take. @defaultValue 3000 ms */
  shutdownGraceMs: number;
  /**
   * Scale out: talk state in this Redis instead of SQLite, and Socket.IO's
   * Redis Streams adapter between processes (docs/deploy.md).
   * @defaultValue undefined: SQLite, one process (env REDIS_URL)
   */
  redisUrl: string | undefined;
  /**
   * Run as a node:cluster worker behind `npm start -- --workers N`: the
   * primary owns the port and hands connections over (sticky by Socket.IO
   * session); `port` is then the primary's. Set by demo-server/cluster.ts.
   * @defaultValue false
   */
  clusterWorker: boolean;
  /**
   * This process's name behind a load balancer (letters and digits): every
   * Socket.IO session id starts with `<nodeId>-`, so the proxy can send a
   * long-polling session back to the process that opened it (docs/deploy.md).
   * @defaultValue undefined (env LIVEDECK_NODE_ID)
   */
  nodeId: string | undefined;
  /**
   * The clock sessions, timelines and reports are stamped with (ms since the
   * epoch). Tests pass one they move by hand. @defaultValue Date.now
   */
  now: () => number;
}

export interface LockoutOptions {
  /** Wrong tokens allowed per IP in the window before the block. */
  attempts: number;
  windowSeconds: number;
  /** How long an IP that used up its attempts has its wrong tokens refused at once (the right token still gets in). */
  blockSeconds: number;
  /** Each wrong token after the third waits this much longer (capped at 8×) before it is answered. */
  delayMs: number;
}

/** The right token always gets in (presenter-token.ts), so it must be unguessable: 22 is 128 bits in base64. */
export const PRESENTER_TOKEN_MIN_LENGTH = 22;

/** A token anyone could guess would turn "the right token always gets in" into a way in. */
export function assertStrongToken(token: string): void {
  if (token.length < PRESENTER_TOKEN_MIN_LENGTH) {
    throw new OptionsError(
      `the presenter token must be at least ${PRESENTER_TOKEN_MIN_LENGTH} characters (leave LIVEDECK_PRESENTER_TOKEN unset for 128 random bits, or use \`openssl rand -base64 16\`)`,
    );
  }
}

export const DEFAULT_IDENTITIES_PER_IP = 100;

export const DEFAULT_LOCKOUT: LockoutOptions = { attempts: 10, windowSeconds: 600, blockSeconds: 900, delayMs: 250 };

/** A wrong value in the environment: printed as one line at start. */
export class OptionsError extends Error {
  override name = 'OptionsError';
}

export function generatePresenterToken(): string {
  return crypto.randomBytes(16).toString('base64url');
}

export function defaultOptions(): ServerOptions {
  return {
    host: '0.0.0.0',
    port: 3000,
    talkFile: path.join(PROJECT_ROOT, 'slides', 'nodejs-websockets.md'),
    slidesDir: path.join(PROJECT_ROOT, 'slides'),
    dbFile: path.join(PROJECT_ROOT, 'data', 'livedeck.db'),
    presenterToken: generatePresenterToken(),
    publicUrl: undefined,
    assets: 'dist',
    allowedOrigins: [],
    logLevel: 'info',
    logFormat: 'json',
    logDestination: process.stdout,
    audienceLogMs: 10_000,
    driverTakeoverMs: DRIVER_TAKEOVER_MS,
    maxConnectionsPerIp: 500,
    trustProxy: false,
    maxConnections: 20_000,
    newClientsPerIpPerMinute: 300,
    maxIdentitiesPerIp: DEFAULT_IDENTITIES_PER_IP,
    maxQuestionsPerPerson: DEFAULT_QUESTIONS_PER_PERSON,
    httpRequestsPerIp: 1000,
    maxPendingConnectionsPerIp: 128,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    presenterLockout: DEFAULT_LOCKOUT,
    slowConsumerBytes: 1024 * 1024,
    slowConsumerCheckMs: 1000,
    shutdownGraceMs: 3000,
    redisUrl: undefined,
    clusterWorker: false,
    nodeId: undefined,
    now: Date.now,
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new OptionsError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function strongToken(token: string): string {
  assertStrongToken(token);
  return token;
}

function nodeIdFrom(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^[A-Za-z0-9]{1,16}$/.test(raw)) throw new OptionsError(`LIVEDECK_NODE_ID must be 1–16 letters or digits, got "${raw}"`);
  return raw;
}

/** LOG_FORMAT, else pretty when the output is a terminal and JSON when it is not. */
export function logFormatFrom(value: string | undefined, isTerminal: boolean): LogFormat {
  if (value === undefined || value === '') return isTerminal ? 'pretty' : 'json';
  if (!(LOG_FORMATS as readonly string[]).includes(value)) throw new OptionsError(`LOG_FORMAT must be json or pretty, got "${value}"`);
  return value as LogFormat;
}

export function optionsFromEnvironment(env: NodeJS.ProcessEnv, args: readonly string[]): ServerOptions {
  const defaults = defaultOptions();
  const port = env.PORT === undefined ? defaults.port : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new OptionsError(`PORT must be 0–65535, got "${env.PORT}"`);
  const talkArgument = args.find((arg) => !arg.startsWith('-')) ?? env.LIVEDECK_TALK;
  return {
    ...defaults,
    host: env.HOST || defaults.host,
    port,
    talkFile: talkArgument ? path.resolve(talkArgument) : defaults.talkFile,
    slidesDir: env.LIVEDECK_SLIDES ? path.resolve(env.LIVEDECK_SLIDES) : defaults.slidesDir,
    dbFile: env.LIVEDECK_DB ? path.resolve(env.LIVEDECK_DB) : defaults.dbFile,
    presenterToken: strongToken(env.LIVEDECK_PRESENTER_TOKEN || defaults.presenterToken),
    publicUrl: env.LIVEDECK_PUBLIC_URL || undefined,
    allowedOrigins: (env.LIVEDECK_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL || defaults.logLevel,
    logFormat: logFormatFrom(env.LOG_FORMAT, process.stdout.isTTY === true),
    maxConnectionsPerIp: positiveInteger(env, 'LIVEDECK_MAX_CONNECTIONS_PER_IP', defaults.maxConnectionsPerIp),
    trustProxy: ['1', 'true', 'yes'].includes((env.LIVEDECK_TRUST_PROXY ?? '').toLowerCase()),
    maxConnections: positiveInteger(env, 'LIVEDECK_MAX_CONNECTIONS', defaults.maxConnections),
    newClientsPerIpPerMinute: positiveInteger(env, 'LIVEDECK_NEW_CLIENTS_PER_IP_PER_MINUTE', defaults.newClientsPerIpPerMinute),
    maxIdentitiesPerIp: positiveInteger(env, 'LIVEDECK_MAX_IDENTITIES_PER_IP', defaults.maxIdentitiesPerIp),
    maxQuestionsPerPerson: positiveInteger(env, 'LIVEDECK_MAX_QUESTIONS_PER_PERSON', defaults.maxQuestionsPerPerson),
    httpRequestsPerIp: positiveInteger(env, 'LIVEDECK_HTTP_REQUESTS_PER_IP', defaults.httpRequestsPerIp),
    maxPendingConnectionsPerIp: positiveInteger(env, 'LIVEDECK_MAX_PENDING_CONNECTIONS_PER_IP', defaults.maxPendingConnectionsPerIp),
    slowConsumerBytes: positiveInteger(env, 'LIVEDECK_SLOW_CONSUMER_BYTES', defaults.slowConsumerBytes),
    redisUrl: env.REDIS_URL || undefined,
    nodeId: nodeIdFrom(env.LIVEDECK_NODE_ID),
  };
}
