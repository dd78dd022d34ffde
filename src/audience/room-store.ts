/**
 * What the phone's room panel shows (chat, questions, the spotlight, the
 * viewer's name and held messages), rebuilt from each snapshot and kept
 * current by the room's events in revision order (revision-log.ts): a
 * snapshot read before an event the phone already applied (a vote, a new
 * question, a deletion) applies it again, an event the snapshot holds is
 * skipped, and an older snapshot arriving late is dropped. No DOM: the
 * panel (room.ts) subscribes and renders.
 */
import type { ChatMessage, Question, QuestionView, Snapshot } from '../shared/protocol';
import { addChat, applySnapshot, emptyRoomView, removeChat, sortedQuestions, updateQuestion, type RoomView } from '../shared/room-view';
import { RevisionLog } from '../lib/revision-log';
import type { LiveClient } from '../lib/socket';

/** What the panel tells the viewer about, beyond drawing the room again. */
export type RoomNews =
  /** A message from someone else. */
  | { kind: 'chat' }
  /** A question joined the list. */
  | { kind: 'question' }
  /** A question this viewer asked or voted for was answered. */
  | { kind: 'answered'; text: string }
  /** A message of ours waits for the presenter's approval. */
  | { kind: 'held' };

type Listener = (news: RoomNews | null) => void;

export class RoomStore {
  view: RoomView = emptyRoomView();
  me = { authorId: '', name: '' };
  /** How many questions the presenter hid: the room is told, rather than seeing them vanish. */
  hiddenQuestions = 0;
  /** Questions the room holds for this phone: a join carries only the top ones, the rest come on request. */
  questionsTotal = 0;
  /** New questions wait for the presenter's approval. */
  review = false;
  /** This phone's messages waiting for the presenter's approval (its address was marked by a ban): only it sees them. */
  waiting: ChatMessage[] = [];
  private sessionId: number | null = null;
  private questionsCountedAt = 0;
  private readonly revisions = new RevisionLog();
  private readonly listeners: Listener[] = [];

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  attach(socket: LiveClient): void {
    socket.on('snapshot', (snapshot) => this.applySnapshot(snapshot));
    // #region chat-receive
    socket.on('chat:message', ({ rev, ...message }) =>
      this.revisions.event(rev, (again) => this.setView(addChat(this.view, message), again ? null : { kind: 'chat' })),
    );
    // #endregion
    // A message of ours the presenter must approve first (its ack; the chat ignores it: held-people.ts on the server).
    socket.on('chat:message', (message) => {
      if (!message.held) return;
      this.waiting = [...this.waiting, message];
      this.changed({ kind: 'held' });
    });
    socket.on('hold:approved', () => {
      this.waiting = [];
      this.changed();
    });
    // A deleted message stays deleted: also when the snapshot is newer, since the chat keeps what the phone held.
    socket.on('chat:deleted', ({ id, rev }) => this.revisions.always(rev, () => this.setView(removeChat(this.view, id))));
    socket.on('chat:locked', ({ locked, rev }) => this.revisions.event(rev, () => this.setView({ ...this.view, chatLocked: locked })));
    socket.on('question:updated', ({ rev, ...question }) => this.revisions.event(rev, (again) => this.questionUpdated(question, again)));
    socket.on('question:spotlight', ({ id, rev }) => this.revisions.event(rev, () => this.setView({ ...this.view, spotlight: id })));
    socket.on('questions:hidden', ({ count, rev }) =>
      this.revisions.event(rev, () => {
        this.hiddenQuestions = count;
        this.changed();
      }),
    );
    socket.on('moderation:changed', ({ review, rev }) =>
      this.revisions.event(rev, () => {
        this.review = review;
        this.changed();
      }),
    );
    // The room as this process counts it now: the newest one heard is the truth.
    socket.on('audience:count', ({ n }) => (this.view = { ...this.view, audience: n }));
  }

  /** What a snapshot and the events applied again over it bring is not news: it was when first heard, or the viewer just arrived. */
  applySnapshot(snapshot: Snapshot): void {
    this.revisions.snapshot(snapshot.rev, snapshot.sessionId, () => {
      // Same session: keep the chat we hold (the snapshot only carries the newest 100, or what came after our last one).
      const sameSession = this.sessionId === snapshot.sessionId;
      this.sessionId = snapshot.sessionId;
      this.me = snapshot.me;
      this.hiddenQuestions = snapshot.hiddenQuestions;
      this.questionsTotal = snapshot.questionsTotal;
      this.questionsCountedAt = snapshot.serverNow;
      this.review = snapshot.review;
      this.waiting = snapshot.waiting ?? [];
      this.view = applySnapshot(this.view, snapshot, sameSession);
    });
    this.changed();
  }

  /** Our own question, from its ack: ours, so voted. */
  asked(question: Question): void {
    this.setView(updateQuestion(this.view, question, true));
  }

  /** Our vote, from its ack. */
  voted(question: Question, up: boolean): void {
    this.setView(updateQuestion(this.view, question, up));
  }

  /** A page of questions past what the snapshot carried (`question:list`). */
  paged(questions: QuestionView[], total: number): void {
    this.questionsTotal = total;
    let view = this.view;
    for (const question of questions) view = updateQuestion(view, question, question.voted);
    // Nothing new on the page: what the phone holds is the whole list.
    if (view === this.view) this.questionsTotal = sortedQuestions(view).length;
    this.view = view;
    this.changed();
  }

  /** Our name, as the server took it. */
  renamed(name: string): void {
    this.me = { ...this.me, name };
    this.changed();
  }

  private questionUpdated(question: Question, again: boolean): void {
    const before = this.view.questions.get(question.id);
    const answered = question.answered && before && !before.answered && !question.hidden && (before.authorId === this.me.authorId || before.voted);
    this.view = updateQuestion(this.view, question);
    const isNew = !before && !question.hidden;
    // Asked since the snapshot: one more in the list (an older one not held yet was already counted).
    if (isNew && question.ts >= this.questionsCountedAt) this.questionsTotal++;
    if (again) this.changed();
    else this.changed(answered ? { kind: 'answered', text: question.text } : isNew ? { kind: 'question' } : null);
  }

  /** `news`: what the change tells the viewer, if it changed anything. */
  private setView(view: RoomView, news: RoomNews | null = null): void {
    if (view === this.view) return;
    this.view = view;
    this.changed(news);
  }

  private changed(news: RoomNews | null = null): void {
    for (const listener of this.listeners) listener(news);
  }
}
