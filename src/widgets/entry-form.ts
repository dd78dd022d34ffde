/**
 * A phone's form for a word or a short answer: a labelled field, a Send
 * button, and a status line (what the person sent, how many more they may
 * send, or why it was refused). Used in the slide and in the live card.
 */
import { el } from '../lib/dom';
import { errorText } from '../lib/error-text';
import type { RequestError } from '../lib/request';

export interface EntryFormOptions {
  id: string;
  label: string;
  placeholder: string;
  send: string;
  maxLength: number;
  multiline: boolean;
  submit: (text: string) => Promise<RequestError | null>;
}

export class EntryForm {
  readonly element: HTMLFormElement;
  private readonly field: HTMLInputElement | HTMLTextAreaElement;
  private readonly button: HTMLButtonElement;
  private readonly status = el('p', { className: 'entry-status', attrs: { role: 'status' } });
  private readonly notice = el('p', { className: 'poll-notice', attrs: { role: 'alert' } });
  private sending = false;
  private open = true;

  constructor(options: EntryFormOptions) {
    const attrs = { id: options.id, maxlength: String(options.maxLength), placeholder: options.placeholder, autocomplete: 'off', enterkeyhint: 'send' };
    this.field = options.multiline ? el('textarea', { attrs: { ...attrs, rows: '2' } }) : el('input', { attrs: { ...attrs, type: 'text' } });
    this.button = el('button', { text: options.send, attrs: { type: 'submit' } });
    this.element = el('form', { className: 'entry-form' }, [
      el('label', { className: 'entry-label', text: options.label, attrs: { for: options.id } }),
      el('div', { className: 'entry-row' }, [this.field, this.button]),
      this.notice,
      this.status,
    ]);
    // Enter sends a word; in an answer it sends too, as in the chat (answers are short).
    this.field.addEventListener('keydown', (event) => {
      if (event instanceof KeyboardEvent && event.key === 'Enter' && !event.shiftKey && options.multiline) {
        event.preventDefault();
        this.element.requestSubmit();
      }
    });
    this.element.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = this.field.value.trim();
      if (!text || this.sending || !this.open) return;
      this.sending = true;
      this.button.disabled = true;
      const error = await options.submit(text);
      this.sending = false;
      this.button.disabled = !this.open;
      this.notice.textContent = error ? errorText(error) : '';
      if (!error) this.field.value = '';
    });
  }

  /** Open (can send) or not, and the line under the field. */
  set(open: boolean, status: string): void {
    this.open = open;
    this.field.disabled = !open;
    this.button.disabled = !open || this.sending;
    this.status.textContent = status;
    this.element.classList.toggle('is-done', !open);
    if (!open) this.field.value = '';
  }
}
