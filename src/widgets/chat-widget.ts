/** `<div data-widget="chat">`: the room's chat, live inside a slide (the talk's code sample, running). */
import { chatAuthor } from '../lib/chat-author';
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import type { LiveClient } from '../lib/socket';
import type { ChatMessage } from '../shared/protocol';
import { mergeChat } from '../shared/room-view';

const SHOWN = 8;

export function mountChatWidgets(root: ParentNode, socket: LiveClient, joinUrl: string): void {
  const widgets = [...root.querySelectorAll<HTMLElement>('[data-widget="chat"]')];
  if (widgets.length === 0) return;
  let messages: ChatMessage[] = [];
  const render = () => {
    for (const widget of widgets) {
      const list = el(
        'ol',
        { className: 'chat-widget-list' },
        messages.slice(-SHOWN).map((message) => el('li', {}, [chatAuthor(message), el('span', { className: 'text', text: message.text })])),
      );
      if (messages.length === 0) list.append(el('li', { className: 'empty', text: t('chat.waiting') }));
      widget.replaceChildren(
        list,
        el('p', { className: 'chat-widget-hint caption', text: t('chat.from-phone', { url: joinUrl.replace(/^https?:\/\//, '').replace(/\/$/, '') }) }),
      );
    }
  };
  socket.on('snapshot', (snapshot) => {
    messages = snapshot.chat;
    render();
  });
  socket.on('chat:message', (message) => {
    messages = mergeChat(messages, [message]);
    render();
  });
  socket.on('chat:deleted', ({ id }) => {
    messages = messages.filter((message) => message.id !== id);
    render();
  });
  render();
}
