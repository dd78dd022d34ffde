/**
 * Every poll as this screen knows it: counts from the snapshot, then from
 * `poll:results` broadcasts and this viewer's own acks; and the requests a
 * screen can make (vote; reset and close for the presenter).
 */
import { request, type RequestError } from '../lib/request';
import type { LiveClient } from '../lib/socket';
import type { PollResults, PollView } from '../shared/protocol';

export interface PollDefinition {
  id: string;
  question: string;
  options: string[];
}

/** A poll as the talk declares it: `<div data-widget="poll" data-poll data-question data-options="a|b">`. */
export function pollDefinitionOf(element: HTMLElement): PollDefinition | null {
  const id = element.dataset.poll ?? '';
  const options = (element.dataset.options ?? '').split('|').map((option) => option.trim());
  if (!id || options.length < 2) return null;
  return { id, question: (element.dataset.question ?? '').trim(), options };
}

export class PollStore {
  private readonly polls = new Map<string, PollView>();
  private readonly listeners = new Set<(poll: string) => void>();

  constructor(private readonly socket: LiveClient) {
    socket.on('snapshot', (snapshot) => {
      this.polls.clear();
      for (const poll of snapshot.polls ?? []) this.polls.set(poll.poll, poll);
      for (const listener of this.listeners) for (const poll of this.polls.keys()) listener(poll);
    });
    socket.on('poll:results', (results) => this.merge(results));
  }

  get(poll: string): PollView | undefined {
    return this.polls.get(poll);
  }

  /** Called with a poll id whenever that poll changes. */
  subscribe(listener: (poll: string) => void): void {
    this.listeners.add(listener);
  }

  /** Our own vote is known from our ack; an empty poll (after a reset) holds nobody's vote. */
  private merge(results: PollResults, mine?: number): void {
    const previous = this.polls.get(results.poll);
    const kept = mine !== undefined ? mine : results.total === 0 ? null : (previous?.mine ?? null);
    this.polls.set(results.poll, { ...results, mine: kept });
    for (const listener of this.listeners) listener(results.poll);
  }

  async vote(poll: string, option: number): Promise<RequestError | null> {
    const reply = await request(this.socket, 'poll:vote', { poll, option });
    if (!reply.ok) return reply.error;
    this.merge(reply.results, reply.mine);
    return null;
  }

  async reset(poll: string): Promise<RequestError | null> {
    const reply = await request(this.socket, 'poll:reset', { poll });
    if (!reply.ok) return reply.error;
    this.merge(reply.results);
    return null;
  }

  async close(poll: string, closed: boolean): Promise<RequestError | null> {
    const reply = await request(this.socket, 'poll:close', { poll, closed });
    if (!reply.ok) return reply.error;
    this.merge(reply.results);
    return null;
  }
}
