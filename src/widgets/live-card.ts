/**
 * The card at the top of a phone's panel that holds whatever the live slide
 * asks of the room: the poll's options or the scale's values (tap to vote),
 * the word cloud's or the open question's form, or the race's "Send a ping"
 * button. Hidden on every other slide.
 */
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import { icon } from '../lib/icons';
import { errorText } from '../lib/error-text';
import { request } from '../lib/request';
import type { LiveClient } from '../lib/socket';
import type { LiveSlide } from './live-slide';
import { createPollWidget, type PollWidget } from './poll-widget';
import { pollDefinitionsIn, type PollStore } from './poll-store';

export class LiveCard {
  readonly element = el('section', { className: 'live-card', attrs: { 'aria-label': t('phone.on-live-slide'), hidden: '' } });
  private poll: { id: string; widget: PollWidget } | null = null;
  private readonly ping: HTMLElement;
  private sent = 0;

  constructor(
    private readonly live: LiveSlide,
    private readonly store: PollStore,
    private readonly socket: LiveClient,
  ) {
    this.ping = this.pingControls();
    live.onChange(() => this.show());
    store.subscribe((poll) => {
      if (poll === this.poll?.id) this.poll.widget.update();
    });
    this.show();
  }

  private show(): void {
    const slide = this.live.slide();
    const definition = slide ? pollDefinitionsIn(slide)[0]?.definition : undefined;
    if (definition) {
      if (this.poll?.id !== definition.id) this.poll = { id: definition.id, widget: createPollWidget(definition, this.store, 'card') };
      this.poll.widget.update();
      this.element.replaceChildren(this.poll.widget.element);
      this.element.hidden = false;
    } else if (this.live.widget('race')) {
      this.element.replaceChildren(this.ping);
      this.element.hidden = false;
    } else {
      this.element.replaceChildren();
      this.element.hidden = true;
    }
  }

  private pingControls(): HTMLElement {
    const button = el('button', { className: 'race-ping', attrs: { type: 'button' } }, [t('race.ping'), icon('satellite-antenna')]);
    const note = el('p', { className: 'race-ping-note', text: t('race.ping-note'), attrs: { role: 'status' } });
    button.addEventListener('click', async () => {
      button.disabled = true;
      const reply = await request(this.socket, 'race:ping', {});
      button.disabled = false;
      if (reply.ok) {
        this.sent++;
        note.textContent = t('race.ping-sent', { count: this.sent });
      } else note.textContent = errorText(reply.error);
    });
    return el('div', { className: 'race-ping-card' }, [button, note]);
  }
}
