/**
 * The command line: `npm start [-- slides/other.md]`, `npm run dev`,
 * `npm start -- --workers N` (several processes, see cluster.ts).
 * Reads the environment, builds the browser bundle if needed, starts the
 * server and prints where to point phones and the projector.
 */
import { checkWorkerOptions, isClusterWorker, reportWorkerReady, requestedWorkers, startPrimary, withoutWorkerArgs, WorkersError } from './cluster.js';
import { ensureBuild } from './http/ensure-build.js';
import { qrTerminal } from './http/join-urls.js';
import { createLogger } from './logger.js';
import { generatePresenterToken, OptionsError, optionsFromEnvironment } from './options.js';

const print = (line = '') => process.stdout.write(`${line}\n`);

/** The presenter's URL on this machine: a laptop can always reach itself, whatever its LAN or public address. */
function localPresenterUrl(presenterUrl: string, port: number): string {
  const url = new URL(presenterUrl);
  return `http://localhost:${port}${url.pathname}${url.hash}`;
}

function printBanner(title: string | null, joinUrls: string[], presenterUrl: string, port: number): void {
  print();
  print(title === null ? 'livedeck is up, with no talk live: choose one at the presenter URL' : `livedeck is presenting "${title}"`);
  print();
  print('Audience: open on your phones');
  for (const url of joinUrls) print(`  ${url}`);
  print(qrTerminal(joinUrls[0]!));
  // The token is printed once, to this terminal, inside a URL fragment that browsers never send to servers.
  print('Presenter (keep these private):');
  print(`  on this computer:    ${localPresenterUrl(presenterUrl, port)}`);
  print(`  from another device: ${presenterUrl}`);
  print(`  speaker console: press C in the deck, or open /present/console with the same #token=…`);
  print();
}

/** `--workers N`: this process only owns the port and the workers. */
async function runPrimary(workers: number, args: string[], dev: boolean): Promise<void> {
  if (dev) throw new WorkersError('--workers cannot be combined with --dev');
  const options = optionsFromEnvironment(process.env, args);
  // A configuration error is said at once, not after building the bundle.
  checkWorkerOptions(options);
  await ensureBuild(print);
  const logger = createLogger(options.logLevel, options.logFormat, options.logDestination);
  const primary = await startPrimary(options, workers, logger);
  printBanner(primary.ready.title, primary.ready.joinUrls, primary.ready.presenterUrl, primary.port);
  print(`(${workers} worker processes sharing the talk through Redis)`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    primary.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGUSR2', () => {
    const token = generatePresenterToken();
    primary.rotateToken(token);
    print('New presenter URL (the old one no longer works):');
    print(`  ${primary.ready.presenterUrl.replace(/#token=.*$/, `#token=${encodeURIComponent(token)}`)}`);
  });
}

async function main(): Promise<void> {
  const allArgs = process.argv.slice(2);
  const workers = requestedWorkers(allArgs, process.env);
  const args = withoutWorkerArgs(allArgs);
  const dev = args.includes('--dev');
  if (workers > 0 && !isClusterWorker)
    return runPrimary(
      workers,
      args.filter((arg) => arg !== '--dev'),
      dev,
    );
  const options = optionsFromEnvironment(
    process.env,
    args.filter((arg) => arg !== '--dev'),
  );
  options.clusterWorker = isClusterWorker;
  if (dev) options.assets = 'vite';
  else if (!isClusterWorker) await ensureBuild(print);

  // Loaded here, not at the top: a `--workers` primary only owns the port, and loading the whole server there
  // would add seconds to every start (each worker loads it anyway).
  const { createServer } = await import('./server.js');
  const server = await createServer(options);
  // Before the banner, so a signal that lands early still shuts down cleanly.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'stopping');
    // close() bounds itself; this only guards against a hang in a dependency. Left referenced on purpose: it keeps the
    // process alive until close() settles, so the event loop running dry (every handle closed) cannot end the process
    // with 0 before "stopped" is logged.
    setTimeout(
      () => {
        server.logger.error('shutdown took too long; exiting');
        process.exit(1);
      },
      options.shutdownGraceMs * 2 + 5000,
    );
    server.close().then(
      () => {
        server.logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // A leaked presenter URL: `kill -USR2 <pid>` makes a new token and drops the screens holding the old one.
  process.on('SIGUSR2', () => {
    const url = server.rotatePresenterToken(generatePresenterToken());
    print('New presenter URL (the old one no longer works):');
    print(`  ${url}`);
  });
  if (isClusterWorker) {
    reportWorkerReady({ title: server.room.liveTalk?.title ?? null, joinUrls: server.joinUrls, presenterUrl: server.presenterUrl }, (token) =>
      server.rotatePresenterToken(token),
    );
  } else {
    printBanner(server.room.liveTalk?.title ?? null, server.joinUrls, server.presenterUrl, server.port);
  }
}

/** Start failures that get one clear line, not a stack trace. */
async function isKnownStartFailure(error: unknown): Promise<boolean> {
  if (error instanceof OptionsError || error instanceof WorkersError) return true;
  const [{ StorageOpenError }, { TalkLoadError }, { RedisOpenError }] = await Promise.all([
    import('./storage/sqlite.js'),
    import('./talk/load-talk.js'),
    import('./storage/redis.js'),
  ]);
  return error instanceof StorageOpenError || error instanceof TalkLoadError || error instanceof RedisOpenError;
}

main().catch(async (error: unknown) => {
  if (await isKnownStartFailure(error)) {
    process.stderr.write(`livedeck: ${(error as Error).message}\n`);
  } else if ((error as { code?: string }).code === 'EADDRINUSE') {
    process.stderr.write(`livedeck: port already in use (${(error as Error).message}); set PORT to another port\n`);
  } else {
    process.stderr.write(`livedeck: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
