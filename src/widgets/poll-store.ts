/**
 * Every poll of the talk as this screen knows it (choice polls and scales,
 * word clouds, open text): from the snapshot, then from the broadcasts (in
 * revision order around snapshots: revision-log.ts) and this viewer's own
 * acks; and the requests a screen can make (vote, send a
 * word or an answer; reset, close, remove, hide and show for the presenter).
 */
import { request, type RequestError } from '../lib/request';
import { RevisionLog } from '../lib/revision-log';
import type { LiveClient } from '../lib/socket';
import { isPollKind, parsePollDefinition, type PollDefinition } from '../shared/poll-definitions';
import type { CloudView, PollResults, PollView, TextAnswer, TextBoard, TextShow, TextView, WordCloud } from '../shared/protocol';

export type { PollDefinition } from '../shared/poll-definitions';

/** A widget element as the talk declares it (`<div data-widget="poll|scale|words|text" data-poll …>`); null for anything else. */
export function pollDefinitionOf(element: HTMLElement): PollDefinition | null {
  const kind = element.dataset.widget;
  if (!isPollKind(kind)) return null;
  const parsed = parsePollDefinition(kind, (name) => element.getAttribute(name) ?? undefined);
  return parsed.ok ? parsed.definition : null;
}

/** The answer widgets of a slide (or of every slide under it). */
export function pollDefinitionsIn(root: ParentNode): Array<{ element: HTMLElement; definition: PollDefinition }> {
  return [...root.querySelectorAll<HTMLElement>('[data-widget][data-poll]')].flatMap((element) => {
    const definition = pollDefinitionOf(element);
    return definition ? [{ element, definition }] : [];
  });
}

export class PollStore {
  private readonly polls = new Map<string, PollView>();
  private readonly clouds = new Map<string, CloudView>();
  private readonly texts = new Map<string, TextView>();
  private readonly listeners = new Set<(poll: string) => void>();
  private readonly revisions = new RevisionLog();

  constructor(private readonly socket: LiveClient) {
    socket.on('snapshot', (snapshot) =>
      this.revisions.snapshot(snapshot.rev, snapshot.sessionId, () => {
        this.polls.clear();
        this.clouds.clear();
        this.texts.clear();
        for (const poll of snapshot.polls ?? []) this.polls.set(poll.poll, poll);
        for (const cloud of snapshot.clouds ?? []) this.clouds.set(cloud.poll, cloud);
        for (const text of snapshot.texts ?? []) this.texts.set(text.poll, text);
        for (const poll of [...this.polls.keys(), ...this.clouds.keys(), ...this.texts.keys()]) this.changed(poll);
      }),
    );
    socket.on('poll:results', ({ rev, ...results }) => this.revisions.event(rev, () => this.mergeResults(results)));
    socket.on('words:cloud', ({ rev, ...cloud }) => this.revisions.event(rev, () => this.mergeCloud(cloud)));
    socket.on('text:board', ({ rev, ...board }) => this.revisions.event(rev, () => this.mergeBoard(board)));
    // An answer heard before any snapshot has no view to join yet: the snapshot applies it again (it is newer).
    socket.on('text:answer', ({ rev, ...answer }) => this.revisions.event(rev, () => this.mergeAnswer(answer)));
  }

  poll(poll: string): PollView | undefined {
    return this.polls.get(poll);
  }

  cloud(poll: string): CloudView | undefined {
    return this.clouds.get(poll);
  }

  text(poll: string): TextView | undefined {
    return this.texts.get(poll);
  }

  /** Called with a poll id whenever that poll changes. */
  subscribe(listener: (poll: string) => void): void {
    this.listeners.add(listener);
  }

  private changed(poll: string): void {
    for (const listener of this.listeners) listener(poll);
  }

  /** Our own vote is known from our ack; an empty poll (after a reset) holds nobody's vote. */
  private mergeResults(results: PollResults | undefined, mine?: number): void {
    if (!results) return;
    const previous = this.polls.get(results.poll);
    const kept = mine !== undefined ? mine : results.total === 0 ? null : (previous?.mine ?? null);
    this.polls.set(results.poll, { ...results, mine: kept });
    this.changed(results.poll);
  }

  /** After a reset nothing is left, our own words included. */
  private mergeCloud(cloud: WordCloud): void {
    const mine = cloud.entries === 0 ? [] : (this.clouds.get(cloud.poll)?.mine ?? []);
    this.clouds.set(cloud.poll, { ...cloud, mine });
    this.changed(cloud.poll);
  }

  /** After a reset nothing is left, our own answers and a presenter's list included; otherwise text:answer keeps those. */
  private mergeBoard(board: TextBoard): void {
    const previous = this.texts.get(board.poll);
    const empty = board.entries === 0;
    const answers = previous?.answers ? { answers: empty ? [] : previous.answers } : {};
    this.texts.set(board.poll, { ...board, mine: empty ? [] : (previous?.mine ?? []), ...answers });
    this.changed(board.poll);
  }

  /** Presenters: one answer, new or changed. */
  private mergeAnswer(answer: TextAnswer): void {
    const view = this.texts.get(answer.poll);
    if (!view) return;
    const answers = [...(view.answers ?? []).filter((held) => held.id !== answer.id), answer].sort((a, b) => a.id - b.id);
    const mine = view.mine.map((held) => (held.id === answer.id ? answer : held));
    this.texts.set(answer.poll, { ...view, answers, mine });
    this.changed(answer.poll);
  }

  async vote(poll: string, option: number): Promise<RequestError | null> {
    const reply = await request(this.socket, 'poll:vote', { poll, option });
    if (!reply.ok) return reply.error;
    this.mergeResults(reply.results, reply.mine);
    return null;
  }

  async reset(poll: string): Promise<RequestError | null> {
    const reply = await request(this.socket, 'poll:reset', { poll });
    if (!reply.ok) return reply.error;
    this.mergeResults(reply.results);
    return null;
  }

  async close(poll: string, closed: boolean): Promise<RequestError | null> {
    const reply = await request(this.socket, 'poll:close', { poll, closed });
    if (!reply.ok) return reply.error;
    this.mergeResults(reply.results);
    return null;
  }

  async sendWord(poll: string, text: string): Promise<RequestError | null> {
    const reply = await request(this.socket, 'words:submit', { poll, text });
    if (!reply.ok) return reply.error;
    const cloud = this.clouds.get(poll);
    if (cloud) {
      this.clouds.set(poll, { ...cloud, mine: [...cloud.mine, reply.word] });
      this.changed(poll);
    }
    return null;
  }

  async hideWord(poll: string, key: string, hidden: boolean): Promise<RequestError | null> {
    const reply = await request(this.socket, 'words:hide', { poll, key, hidden });
    return reply.ok ? null : reply.error;
  }

  async sendAnswer(poll: string, text: string): Promise<RequestError | null> {
    const reply = await request(this.socket, 'text:submit', { poll, text });
    if (!reply.ok) return reply.error;
    const view = this.texts.get(poll);
    if (view) {
      this.texts.set(poll, { ...view, mine: [...view.mine.filter((held) => held.id !== reply.answer.id), reply.answer] });
      this.changed(poll);
    }
    return null;
  }

  async hideAnswer(poll: string, id: number, hidden: boolean): Promise<RequestError | null> {
    const reply = await request(this.socket, 'text:hide', { poll, id, hidden });
    if (!reply.ok) return reply.error;
    this.mergeAnswer(reply.answer);
    return null;
  }

  async showAnswers(poll: string, show: TextShow): Promise<RequestError | null> {
    const reply = await request(this.socket, 'text:show', { poll, show });
    return reply.ok ? null : reply.error;
  }
}
