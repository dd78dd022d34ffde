/** One race pane's counters: requests, bytes each way, messages shown and their delays. Pure. */
import type { RaceMessage } from '../shared/protocol';

export interface ShownMessage {
  message: RaceMessage;
  /** Milliseconds from the server accepting the ping to this pane showing it. */
  delay: number;
}

export class PaneStats {
  requests = 0;
  bytesUp = 0;
  bytesDown = 0;
  private readonly delays: number[] = [];
  private readonly seen = new Set<number>();
  /** Newest first, a few. */
  recent: ShownMessage[] = [];

  /** Records a message the first time this pane shows it; false when it already had it. */
  shown(message: RaceMessage, delay: number): boolean {
    if (this.seen.has(message.id)) return false;
    this.seen.add(message.id);
    this.delays.push(delay);
    this.recent = [{ message, delay }, ...this.recent].slice(0, 3);
    return true;
  }

  get messages(): number {
    return this.seen.size;
  }

  get median(): number | null {
    return median(this.delays);
  }

  get worst(): number | null {
    return this.delays.length ? Math.max(...this.delays) : null;
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(bytes < 10_000 ? 1 : 0)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function formatDelay(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
