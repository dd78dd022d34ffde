/**
 * The phone's room panel: Chat and Q&A tabs with unread badges, the
 * spotlighted question and the viewer's name. Renders what its store
 * (room-store.ts) holds; every user string goes in as text.
 */
import { CHAT_TEXT_MAX, NAME_MAX, QUESTION_TEXT_MAX } from '../shared/limits';
import { sortedQuestions } from '../shared/room-view';
import { followChat, type ChatResume } from '../lib/chat-resume';
import { chatAuthor } from '../lib/chat-author';
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import { icon } from '../lib/icons';
import { errorText } from '../lib/error-text';
import { request } from '../lib/request';
import { deliverLocally, type LiveClient } from '../lib/socket';
import { RoomStore, type RoomNews } from './room-store';

const NAME_KEY = 'livedeck.name';
type Tab = 'chat' | 'questions';
const TABS: readonly Tab[] = ['chat', 'questions'];

function storedName(): string | undefined {
  try {
    return localStorage.getItem(NAME_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export class Room {
  private readonly store = new RoomStore();
  private socket: LiveClient | null = null;
  private tab: Tab = 'chat';
  private unread: Record<Tab, number> = { chat: 0, questions: 0 };
  private banned = false;

  private readonly tabs: Record<Tab, HTMLButtonElement>;
  private readonly views: Record<Tab, HTMLElement>;
  private readonly chatList = el('ol', {
    className: 'chat-list',
    // Focusable so a keyboard can scroll it; new messages are read as they come.
    attrs: { 'aria-label': t('phone.chat-messages'), tabindex: '0', 'aria-live': 'polite', 'aria-relevant': 'additions' },
  });
  private readonly chatItems = new Map<number, HTMLLIElement>();
  private readonly chatEmpty = el('li', { className: 'empty', text: t('phone.chat-empty') });
  private readonly waitingList = el('ol', { className: 'chat-waiting', attrs: { 'aria-label': t('phone.chat-waiting'), hidden: '' } });
  // Not a live region: the list re-sorts on every vote; answers to one's own questions are announced instead.
  private readonly questionList = el('ol', { className: 'question-list', attrs: { 'aria-label': t('phone.questions'), tabindex: '0' } });
  private readonly chatInput = el('input', {
    attrs: {
      type: 'text',
      maxlength: String(CHAT_TEXT_MAX),
      placeholder: t('phone.chat-placeholder'),
      'aria-label': t('phone.chat-message'),
      enterkeyhint: 'send',
      autocomplete: 'off',
    },
  });
  private readonly questionInput = el('input', {
    attrs: {
      type: 'text',
      maxlength: String(QUESTION_TEXT_MAX),
      placeholder: t('phone.question-placeholder'),
      'aria-label': t('phone.your-question'),
      'aria-describedby': 'question-review-note',
      enterkeyhint: 'send',
      autocomplete: 'off',
    },
  });
  private readonly chatNotice = el('p', { className: 'notice', attrs: { role: 'alert' } });
  private readonly questionNotice = el('p', { className: 'notice', attrs: { role: 'alert' } });
  /** Review mode: the asker knows before asking that the room sees a question only once approved. */
  private readonly reviewNote = el('p', { className: 'review-note', attrs: { id: 'question-review-note' } });
  // Its name is what it shows ("You: Ada") plus what it does, so voice control users can say what they see.
  private readonly nameText = el('span', { className: 'name-text' });
  private readonly nameButton = el('button', { className: 'name-button', attrs: { type: 'button' } }, [
    this.nameText,
    el('span', { className: 'sr-only', text: t('phone.name-change') }),
    icon('pencil'),
  ]);
  /** Answers to questions this phone asked or voted for, said once, politely. */
  private readonly answerAnnouncer = el('p', { className: 'sr-only room-announcer', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });
  private readonly nameInput = el('input', {
    attrs: { type: 'text', maxlength: String(NAME_MAX), 'aria-label': t('phone.name-unset'), autocomplete: 'nickname', required: '' },
  });
  private readonly nameNotice = el('p', { className: 'notice', attrs: { role: 'alert' } });
  private readonly nameForm = el('form', { className: 'name-form' }, [
    el('label', { text: t('phone.name-label', { max: NAME_MAX }), attrs: { for: 'name-input' } }),
    this.nameInput,
    this.nameNotice,
    el('div', { className: 'name-actions' }, [
      el('button', { className: 'cancel', text: t('phone.cancel'), attrs: { type: 'button' } }),
      el('button', { text: t('phone.save'), attrs: { type: 'submit' } }),
    ]),
  ]);
  private readonly nameDialog = el('dialog', { className: 'name-dialog' }, [this.nameForm]);
  private readonly spotlight = el('aside', { className: 'spotlight', attrs: { 'aria-live': 'assertive', hidden: '' } });

  private renderQueued = false;
  /**
   * Set when a chat line went unanswered: the page's resume point when the
   * line left (undefined: none). The reconnection asks for the chat from
   * there, because the line itself (stored, its ack lost) may be older than
   * other people's messages that arrived meanwhile. Cleared by the snapshot.
   */
  private resumeChatFrom: { id: number | undefined } | null = null;
  /** Where the chat resumes after a drop: the newest message of a history without a gap (chat-resume.ts). */
  private resume: ChatResume | undefined;

  constructor(root: HTMLElement) {
    this.tabs = {
      chat: el('button', { className: 'tab', attrs: { type: 'button', role: 'tab', id: 'tab-chat', 'aria-controls': 'view-chat' } }),
      questions: el('button', { className: 'tab', attrs: { type: 'button', role: 'tab', id: 'tab-questions', 'aria-controls': 'view-questions' } }),
    };
    this.views = {
      chat: el('div', { className: 'view', attrs: { role: 'tabpanel', id: 'view-chat', 'aria-labelledby': 'tab-chat' } }, [
        this.chatList,
        this.waitingList,
        this.form(this.chatInput, t('phone.send'), () => this.sendChatKeepingPlace()),
        this.chatNotice,
      ]),
      questions: el('div', { className: 'view', attrs: { role: 'tabpanel', id: 'view-questions', 'aria-labelledby': 'tab-questions' } }, [
        this.form(this.questionInput, t('phone.ask'), () => this.ask()),
        this.reviewNote,
        this.questionNotice,
        this.questionList,
      ]),
    };
    for (const tab of TABS) {
      this.tabs[tab].addEventListener('click', () => this.show(tab));
      this.tabs[tab].addEventListener('keydown', (event) => this.moveBetweenTabs(event, tab));
    }
    this.nameButton.addEventListener('click', () => this.openNameDialog());
    this.nameForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.rename(this.nameInput.value.trim());
    });
    this.nameForm.querySelector('.cancel')!.addEventListener('click', () => this.nameDialog.close());

    this.nameInput.id = 'name-input';
    root.replaceChildren(
      this.nameDialog,
      this.spotlight,
      el('div', { className: 'tabs-row' }, [
        el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': t('phone.room') } }, [this.tabs.chat, this.tabs.questions]),
        this.nameButton,
      ]),
      this.views.chat,
      this.views.questions,
      this.answerAnnouncer,
    );
    this.show('chat');
    this.store.subscribe((news) => this.heard(news));
    this.render();
  }

  /** Sent with every (re)connection. */
  handshake(): { name?: string; lastChatId?: number } {
    const name = this.store.me.name || storedName();
    const lastChatId = this.resumeChatFrom ? this.resumeChatFrom.id : this.resume?.lastChatId;
    return { ...(name ? { name } : {}), ...(lastChatId !== undefined ? { lastChatId } : {}) };
  }

  attach(socket: LiveClient): void {
    this.socket = socket;
    this.resume = followChat(socket);
    this.store.attach(socket);
    socket.on('snapshot', () => (this.resumeChatFrom = null));
    socket.on('hold:approved', () => (this.chatNotice.textContent = ''));
    socket.on('client:banned', ({ message }) => {
      this.banned = true;
      this.chatNotice.textContent = message;
      this.questionNotice.textContent = message;
    });
  }

  private heard(news: RoomNews | null): void {
    if (news?.kind === 'chat') this.bump('chat');
    else if (news?.kind === 'question') this.bump('questions');
    else {
      if (news?.kind === 'answered') this.answerAnnouncer.textContent = t('phone.answered-announcement', { text: news.text });
      if (news?.kind === 'held') this.chatNotice.textContent = t('phone.chat-held');
      this.render();
    }
  }

  private bump(tab: Tab): void {
    if (this.tab !== tab || document.hidden) this.unread[tab]++;
    this.render();
  }

  /** The WAI-ARIA tabs pattern: arrows move between tabs (and show them), Home and End jump to either end. */
  private moveBetweenTabs(event: KeyboardEvent, from: Tab): void {
    const index = TABS.indexOf(from);
    const to =
      event.key === 'ArrowRight'
        ? TABS[(index + 1) % TABS.length]
        : event.key === 'ArrowLeft'
          ? TABS[(index + TABS.length - 1) % TABS.length]
          : event.key === 'Home'
            ? TABS[0]
            : event.key === 'End'
              ? TABS.at(-1)
              : undefined;
    if (!to) return;
    event.preventDefault();
    this.show(to);
    this.tabs[to].focus();
  }

  private show(tab: Tab): void {
    this.tab = tab;
    this.unread[tab] = 0;
    for (const name of TABS) {
      const active = name === tab;
      this.tabs[name].setAttribute('aria-selected', String(active));
      this.tabs[name].tabIndex = active ? 0 : -1;
      this.views[name].hidden = !active;
    }
    this.render();
  }

  private form(input: HTMLInputElement, label: string, submit: () => void): HTMLFormElement {
    const form = el('form', { className: 'compose' }, [input, el('button', { text: label, attrs: { type: 'submit' } })]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit();
    });
    return form;
  }

  /**
   * Sends the chat line; if it goes unanswered (the page is reconnecting for
   * a snapshot when the request returns), the reconnection resumes the chat
   * from where the page stood when the line left (resumeChatFrom).
   */
  private async sendChatKeepingPlace(): Promise<void> {
    const heldBefore = this.resume?.lastChatId;
    await this.sendChat();
    if (this.socket?.connected) return;
    const earliest = this.resumeChatFrom;
    if (!earliest || (earliest.id !== undefined && (heldBefore === undefined || heldBefore < earliest.id))) this.resumeChatFrom = { id: heldBefore };
  }

  // #region chat-client-send
  private async sendChat(): Promise<void> {
    const text = this.chatInput.value.trim();
    if (!text || !this.socket) return;
    const reply = await request(this.socket, 'chat:send', { text });
    if (reply.ok) {
      this.chatInput.value = '';
      this.chatNotice.textContent = '';
      deliverLocally(this.socket, 'chat:message', reply.message);
    } else this.chatNotice.textContent = errorText(reply.error);
  }
  // #endregion

  private async ask(): Promise<void> {
    const text = this.questionInput.value.trim();
    if (!text || !this.socket) return;
    const reply = await request(this.socket, 'question:ask', { text });
    if (reply.ok) {
      this.questionInput.value = '';
      this.questionNotice.textContent = reply.question.pending ? t('phone.question-pending') : '';
      this.store.asked(reply.question);
    } else this.questionNotice.textContent = errorText(reply.error);
  }

  private async moreQuestions(): Promise<void> {
    if (!this.socket) return;
    const reply = await request(this.socket, 'question:list', { offset: sortedQuestions(this.store.view).length });
    if (reply.ok) this.store.paged(reply.questions, reply.total);
    else this.questionNotice.textContent = errorText(reply.error);
  }

  private async vote(id: number, up: boolean): Promise<void> {
    if (!this.socket) return;
    const reply = await request(this.socket, 'question:vote', { id, up });
    if (reply.ok) this.store.voted(reply.question, up);
    else this.questionNotice.textContent = errorText(reply.error);
  }

  private openNameDialog(): void {
    this.nameInput.value = this.store.me.name;
    this.nameNotice.textContent = '';
    this.nameDialog.showModal();
    this.nameInput.select();
  }

  private async rename(name: string): Promise<void> {
    if (!name || name === this.store.me.name || !this.socket) {
      this.nameDialog.close();
      return;
    }
    const reply = await request(this.socket, 'name:set', { name });
    if (reply.ok) {
      this.store.renamed(reply.name);
      this.nameDialog.close();
      try {
        localStorage.setItem(NAME_KEY, reply.name);
      } catch {
        // Without storage the name lasts until the page closes.
      }
      this.render();
    } else this.nameNotice.textContent = errorText(reply.error);
  }

  /**
   * Renders once at the end of this task however many changes it brings: a
   * batch of messages and question updates (`room:batch`) is one task.
   */
  private render(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    queueMicrotask(() => {
      this.renderQueued = false;
      this.renderNow();
    });
  }

  private renderNow(): void {
    this.tabs.chat.replaceChildren(t('phone.tab-chat'), ...this.badge('chat'));
    this.tabs.questions.replaceChildren(t('phone.tab-questions'), ...this.badge('questions'));
    const { view, me, hiddenQuestions } = this.store;
    this.nameText.textContent = me.name ? t('phone.name-shown', { name: me.name }) : t('phone.name-unset');

    this.renderChat();
    const locked = view.chatLocked;
    this.chatInput.disabled = locked || this.banned;
    this.chatInput.placeholder = locked ? t('phone.chat-paused') : t('phone.chat-placeholder');
    this.reviewNote.textContent = this.store.review ? t('phone.questions-reviewed') : '';

    this.questionList.replaceChildren(
      ...sortedQuestions(view).map((question) => {
        const vote = el(
          'button',
          {
            className: 'vote',
            // Named by what it shows (the count) plus what it does; pressed while the vote is mine.
            attrs: { type: 'button', 'aria-pressed': String(!!question.voted) },
          },
          [
            el('span', { text: '▲ ', attrs: { 'aria-hidden': 'true' } }),
            String(question.votes),
            el('span', { className: 'sr-only', text: ` ${t('phone.question-votes', { count: question.votes })}` }),
          ],
        );
        vote.addEventListener('click', () => this.vote(question.id, !question.voted));
        // Your own question, waiting for the presenter's approval: only you see it.
        vote.disabled = question.pending;
        const state = question.pending ? t('phone.question-waiting') : question.answered ? t('phone.question-answered') : '';
        return el('li', { className: question.pending ? 'pending' : question.answered ? 'answered' : '' }, [
          vote,
          el('div', { className: 'body' }, [
            el('p', { className: 'text', text: question.text }),
            el('p', { className: 'meta', text: `${question.name}${state}` }),
          ]),
        ]);
      }),
    );
    const notShown = this.store.questionsTotal - sortedQuestions(view).length;
    if (notShown > 0) {
      const more = el('button', { className: 'more-questions', text: t('phone.questions-more', { count: notShown }), attrs: { type: 'button' } });
      more.addEventListener('click', () => void this.moreQuestions());
      this.questionList.append(el('li', { className: 'more' }, [more]));
    }
    if (hiddenQuestions > 0) {
      const count = hiddenQuestions;
      this.questionList.append(el('li', { className: 'hidden-note', text: t('phone.questions-hidden', { count }) }));
    }
    if (sortedQuestions(view).length === 0) {
      this.questionList.append(el('li', { className: 'empty', text: t('phone.questions-empty') }));
    }

    const spotlit = view.spotlight === null ? undefined : view.questions.get(view.spotlight);
    this.spotlight.hidden = !spotlit || spotlit.hidden;
    if (spotlit) this.spotlight.replaceChildren(el('strong', { text: t('phone.on-stage') }), spotlit.text);
  }

  /** Only new messages are added to the list, so a screen reader hears each one once, not the whole chat again. */
  private renderChat(): void {
    const { view, me, waiting } = this.store;
    const mine = me.authorId;
    const shown = new Set(view.chat.map((message) => message.id));
    for (const [id, item] of this.chatItems) {
      if (shown.has(id)) continue;
      item.remove();
      this.chatItems.delete(id);
    }
    let added = false;
    let previous: Element | null = null;
    for (const message of view.chat) {
      let item = this.chatItems.get(message.id);
      if (!item) {
        item = el('li', {}, [chatAuthor(message), el('span', { className: 'text', text: message.text })]);
        this.chatItems.set(message.id, item);
        added = true;
      }
      item.className = message.authorId === mine ? 'mine' : '';
      const expected: Element | null = previous ? previous.nextElementSibling : this.chatList.firstElementChild;
      if (expected !== item) {
        if (previous) previous.after(item);
        else this.chatList.prepend(item);
      }
      previous = item;
    }
    if (view.chat.length === 0) this.chatList.append(this.chatEmpty);
    else this.chatEmpty.remove();
    if (added) this.chatList.scrollTop = this.chatList.scrollHeight;
    this.waitingList.hidden = waiting.length === 0;
    this.waitingList.replaceChildren(
      ...waiting.map((message) =>
        el('li', {}, [el('span', { className: 'text', text: message.text }), el('span', { className: 'state', text: t('phone.chat-waiting-state') })]),
      ),
    );
  }

  private badge(tab: Tab): Node[] {
    const count = this.unread[tab];
    return count
      ? [el('span', { className: 'badge', text: String(count > 99 ? '99+' : count), attrs: { 'aria-label': t('phone.new-badge', { count }) } })]
      : [];
  }
}
