/** The speaker notes of the current slide, large enough to read at a glance from a step away. */
import type { SlideNotes } from '../shared/protocol';

export function renderNotes(root: HTMLElement, notes: SlideNotes | undefined): void {
  if (!notes?.html.trim()) {
    root.replaceChildren();
    root.classList.add('is-empty');
    return;
  }
  root.classList.remove('is-empty');
  // The notes are the presenter's own talk file, rendered by our server from Markdown: trusted markup, like the deck.
  root.innerHTML = notes.html;
  root.scrollTop = 0;
}
