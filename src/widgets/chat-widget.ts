/** `<div data-widget="chat">`: the room's chat, live inside a slide (the talk's code sample, running). */
import { chatAuthor } from '../lib/chat-author';
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import { RevisionLog } from '../lib/revision-log';
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
  // In revision order around snapshots, as the screen's own stores (revision-log.ts).
  const revisions = new RevisionLog();
  let sessionId: number | null = null;
  socket.on('snapshot', (snapshot) =>
    revisions.snapshot(snapshot.rev, snapshot.sessionId, () => {
      // Same session: keep what it shows (a phone resuming from its last message gets only what came after it).
      messages = snapshot.sessionId === sessionId ? mergeChat(messages, snapshot.chat) : snapshot.chat;
      sessionId = snapshot.sessionId;
      render();
    }),
  );
  socket.on('chat:message', ({ rev, ...message }) =>
    revisions.event(rev, () => {
      // A message of ours waiting for the presenter's approval (its ack) is not in the chat.
      if (message.held) return;
      messages = mergeChat(messages, [message]);
      render();
    }),
  );
  socket.on('chat:deleted', ({ id, rev }) =>
    revisions.always(rev, () => {
      messages = messages.filter((message) => message.id !== id);
      render();
    }),
  );
  render();
}
