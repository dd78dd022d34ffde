/**
 * Who wrote a chat line, as every surface shows it. A presenter's message
 * carries a badge drawn by the page, not text from the sender, so no
 * audience name can produce it (and names that look like "Presenter" are
 * refused by the server anyway).
 */
import type { ChatMessage } from '../shared/protocol';
import { t } from '../i18n/i18n';
import { el } from './dom';
import './chat-author.css';

/** The name a presenter screen without one of its own sends (the wire's, not the page's language). */
const PRESENTER = 'Presenter';

export function chatAuthor(message: ChatMessage): HTMLElement {
  if (!message.presenter) return el('span', { className: 'who', text: message.name });
  const badge = el('span', { className: 'presenter-badge', text: t('chat.presenter') });
  // A presenter screen without a name of its own is "Presenter": the badge alone says it.
  return message.name === PRESENTER
    ? el('span', { className: 'who presenter' }, [badge])
    : el('span', { className: 'who presenter', text: `${message.name} ` }, [badge]);
}
