/** The presenter's home: each talk of the series with how often, and when last, it was given. */
import path from 'node:path';
import type { SessionSummary, TalkSummary } from '../../src/shared/protocol.js';
import type { CatalogEntry } from '../talk/catalog.js';

export function talkSummaries(entries: readonly CatalogEntry[], sessions: readonly SessionSummary[]): TalkSummary[] {
  const byTalk = new Map<string, SessionSummary[]>();
  for (const session of sessions) {
    const list = byTalk.get(session.talkId) ?? [];
    list.push(session);
    byTalk.set(session.talkId, list);
  }
  return entries.map((entry) => {
    const given = byTalk.get(entry.id) ?? [];
    const lastSessionAt = given.reduce<number | null>((latest, session) => (latest === null || session.startedAt > latest ? session.startedAt : latest), null);
    const common = { id: entry.id, file: path.basename(entry.file), sessions: given.length, lastSessionAt };
    if (!entry.talk) return { ...common, title: entry.id, author: null, duration: null, slides: 0, error: entry.error };
    const { talk } = entry;
    return { ...common, title: talk.title, author: talk.author, duration: talk.duration, slides: talk.slides.flat().length, error: null };
  });
}
