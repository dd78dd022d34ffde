/**
 * The series: every Markdown file in the slides folder is a talk, plus the
 * talk chosen at start when it lives elsewhere. A file that fails to load
 * (bad front matter, a malformed poll, a missing code include) is listed
 * with its error; it never takes the server down.
 *
 * Files are read again when they change (size or modification time), so a
 * talk added or fixed while the server runs shows up in the next listing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadTalkFile, TalkLoadError, type Talk } from './load-talk.js';
import { talkWidgets } from './widgets.js';

/** One talk file as the presenter's home lists it. */
export type CatalogEntry = { id: string; file: string; talk: Talk; error?: undefined } | { id: string; file: string; talk?: undefined; error: string };

export function talkIdOf(file: string): string {
  return path.basename(file).replace(/\.md$/i, '');
}

interface Cached {
  stamp: string;
  entry: CatalogEntry;
}

/** One line for the home: marked appends a "please report this" line to errors thrown while rendering. */
function describeLoadError(error: unknown, file: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split(/\r?\n/).find((part) => part.trim() !== '') ?? 'unknown error';
  return error instanceof TalkLoadError ? line : `${path.basename(file)}: ${line}`;
}

export class TalkCatalog {
  private readonly cache = new Map<string, Cached>();

  /**
   * @param directory the slides folder: every `*.md` in it is a talk
   * @param extraFiles talk files outside it (the one chosen at start); same id as a folder file: the extra one wins
   */
  constructor(
    private readonly directory: string,
    private readonly extraFiles: readonly string[],
    private readonly projectRoot: string,
  ) {}

  /** Every talk, sorted by title (talks that failed to load by file name), each loaded or with its error. */
  list(): CatalogEntry[] {
    const files = new Map<string, string>();
    for (const name of this.folderFiles()) files.set(talkIdOf(name), path.join(this.directory, name));
    for (const file of this.extraFiles) files.set(talkIdOf(file), path.resolve(file));
    const entries = [...files.values()].map((file) => this.entry(file));
    const key = (entry: CatalogEntry) => (entry.talk ? entry.talk.title : entry.id).toLocaleLowerCase();
    return entries.sort((a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id));
  }

  /** The talk with this id, freshly checked; undefined when there is no such file. */
  find(id: string): CatalogEntry | undefined {
    return this.list().find((entry) => entry.id === id);
  }

  /** Loads one file now (the talk chosen at start). */
  entry(file: string): CatalogEntry {
    const id = talkIdOf(file);
    let stamp: string;
    try {
      const stat = fs.statSync(file);
      stamp = `${stat.size}:${stat.mtimeMs}`;
    } catch (error) {
      return { id, file, error: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
    }
    const cached = this.cache.get(file);
    if (cached?.stamp === stamp) return cached.entry;
    let entry: CatalogEntry;
    try {
      const talk = loadTalkFile(file, this.projectRoot);
      // Polls are checked here too, so a malformed one is this talk's error and not a failure when it goes live.
      talkWidgets(talk);
      entry = { id, file, talk };
    } catch (error) {
      // Whatever went wrong, it is this talk's problem: the others are still served.
      entry = { id, file, error: describeLoadError(error, file) };
    }
    this.cache.set(file, { stamp, entry });
    return entry;
  }

  private folderFiles(): string[] {
    try {
      return fs
        .readdirSync(this.directory, { withFileTypes: true })
        .filter((dirent) => dirent.isFile() && /\.md$/i.test(dirent.name))
        .map((dirent) => dirent.name);
    } catch {
      return []; // no slides folder: only the chosen talk
    }
  }
}
