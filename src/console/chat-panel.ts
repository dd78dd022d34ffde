/** The room's chat as the presenter moderates it: delete a message, lock or unlock the chat. */
import { chatAuthor } from '../lib/chat-author';
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import type { ConsoleState } from './console-store';
import type { Send } from './send';

export class ChatPanel {
  private readonly lock = el('button', { className: 'small chat-lock', attrs: { type: 'button' } });
  private readonly list = el('ol', { className: 'console-chat', attrs: { 'aria-live': 'polite', 'aria-relevant': 'additions' } });
  private locked = false;

  constructor(
    root: HTMLElement,
    private readonly send: Send,
  ) {
    this.lock.addEventListener('click', () => void send('chat:lock', { locked: !this.locked }));
    root.replaceChildren(el('div', { className: 'panel-head' }, [el('h2', { className: 'panel-title', text: t('console.chat') }), this.lock]), this.list);
  }

  render(state: ConsoleState): void {
    this.locked = state.room.chatLocked;
    this.lock.textContent = t(this.locked ? 'console.chat-locked' : 'console.chat-lock');
    this.lock.setAttribute('aria-pressed', String(this.locked));
    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    this.list.replaceChildren(
      ...state.room.chat.map((message) => {
        const remove = el('button', {
          className: 'small delete',
          text: '✕',
          attrs: { type: 'button', 'aria-label': t('console.chat-delete', { name: message.name }) },
        });
        remove.addEventListener('click', () => void this.send('chat:delete', { id: message.id }));
        return el('li', { attrs: { 'data-id': String(message.id) } }, [chatAuthor(message), el('span', { className: 'text', text: message.text }), remove]);
      }),
    );
    if (state.room.chat.length === 0) this.list.append(el('li', { className: 'empty', text: t('console.chat-empty') }));
    // Follow new messages, unless the presenter scrolled up to read.
    if (atBottom) this.list.scrollTop = this.list.scrollHeight;
  }
}
