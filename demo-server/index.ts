/**
 * The command line: `npm start [-- slides/other.md]`, `npm run dev`.
 * Reads the environment, builds the browser bundle if needed, starts the
 * server and prints where to point phones and the projector.
 */
import { ensureBuild } from './http/ensure-build.js';
import { qrTerminal } from './http/join-urls.js';
import { optionsFromEnvironment } from './options.js';
import { createServer } from './server.js';
import { StorageOpenError } from './storage/sqlite.js';
import { TalkLoadError } from './talk/load-talk.js';

const print = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dev = args.includes('--dev');
  const options = optionsFromEnvironment(process.env, args.filter((arg) => arg !== '--dev'));
  if (dev) options.assets = 'vite';
  else await ensureBuild(print);

  const server = await createServer(options);
  print();
  print(`livedeck is presenting "${server.room.talk.title}"`);
  print();
  print('Audience: open on your phones');
  for (const url of server.joinUrls) print(`  ${url}`);
  print(await qrTerminal(server.joinUrls[0]!));
  // The token is printed once, to this terminal, inside a URL fragment that browsers never send to servers.
  print('Presenter (keep this private):');
  print(`  ${server.presenterUrl}`);
  print(`  speaker console: press C in the deck, or open /present/console with the same #token=…`);
  print();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'stopping');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Known start failures get one clear line, not a stack trace.
  if (error instanceof StorageOpenError || error instanceof TalkLoadError) {
    process.stderr.write(`livedeck: ${error.message}\n`);
  } else if ((error as { code?: string }).code === 'EADDRINUSE') {
    process.stderr.write(`livedeck: port already in use (${(error as Error).message}); set PORT to another port\n`);
  } else {
    process.stderr.write(`livedeck: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
