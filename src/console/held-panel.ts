/**
 * "Waiting for approval": people first seen after a ban marked their network
 * (a private tab of the banned person, or a neighbour), whose messages and
 * questions wait here instead of reaching the room. Approve sends what they
 * sent to the room in order and trusts them for the session; Ban removes
 * them (the button asks once more). Hidden while nobody waits.
 */
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import type { LiveClient } from '../lib/socket';
import type { HeldPerson } from '../shared/protocol';
import { ConfirmingButtons } from './confirming-button';
import type { Send } from './send';

export class HeldPanel {
  private people: HeldPerson[] = [];
  /** A ban removes the person and what they sent: the button asks once more. */
  private readonly bans = new ConfirmingButtons(() => this.render());
  private readonly heading = el('h2', { className: 'panel-title' });
  private readonly list = el('ol', { className: 'held-people' });

  constructor(
    private readonly root: HTMLElement,
    socket: LiveClient,
    private readonly send: Send,
  ) {
    root.replaceChildren(this.heading, el('p', { className: 'held-why', text: t('console.held-why') }), this.list);
    socket.on('snapshot', ({ held }) => this.show(held ?? []));
    socket.on('hold:changed', ({ people }) => this.show(people));
    this.render();
  }

  private show(people: HeldPerson[]): void {
    this.people = people;
    this.render();
  }

  private render(): void {
    this.root.hidden = this.people.length === 0;
    this.heading.textContent = t('console.held-title', { count: this.people.length });
    this.list.replaceChildren(...this.people.map((person) => this.item(person)));
  }

  private item(person: HeldPerson): HTMLLIElement {
    const items = [
      ...person.chat.map((message) => ({ kind: t('console.held-message'), text: message.text, ts: message.ts })),
      ...person.questions.map((question) => ({ kind: t('console.held-question'), text: question.text, ts: question.ts })),
    ].sort((a, b) => a.ts - b.ts);
    const approve = el('button', { className: 'small approve', text: t('console.held-approve'), attrs: { type: 'button' } });
    approve.addEventListener('click', () => void this.send('hold:approve', { authorId: person.authorId }));
    const ban = this.bans.button(person.authorId, t('console.held-ban'), t('console.held-ban-confirm'), () => {
      void this.send('client:ban', { authorId: person.authorId });
    });
    return el('li', { className: 'held-person', attrs: { 'data-author': person.authorId } }, [
      el('p', { className: 'who', text: person.name }),
      el(
        'ul',
        { className: 'held-items' },
        items.map((item) => el('li', {}, [el('span', { className: 'kind', text: item.kind }), el('span', { className: 'text', text: item.text })])),
      ),
      el('div', { className: 'actions' }, [approve, ban]),
    ]);
  }
}
