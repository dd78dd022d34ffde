/**
 * The row of quick feedback under the room: the six reactions and the two pace votes, drawn
 * with the bundled icons so they look the same on every phone.
 */
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import { icon, REACTION_ICONS, reactionLabel } from '../lib/icons';
import type { LiveClient } from '../lib/socket';
import { REACTIONS, type Reaction } from '../shared/limits';
import { PaceButtons } from './pace-buttons';

export class FeedbackBar {
  /** `offered`: the reactions the talk offers (its front matter may choose fewer, or none). */
  constructor(root: HTMLElement, socket: LiveClient, offered: readonly Reaction[] = REACTIONS) {
    const reactions = el(
      'div',
      { className: 'reactions', attrs: { role: 'group', 'aria-label': t('phone.react') } },
      offered.map((emoji) => {
        const { icon: name } = REACTION_ICONS[emoji];
        const label = reactionLabel(emoji);
        const button = el('button', { className: 'reaction', attrs: { type: 'button', 'aria-label': label, title: label } }, [icon(name)]);
        // No ack: a reaction is a passing thing. Offline it is dropped, not buffered and sent late after a reconnect.
        button.addEventListener('click', () => {
          if (socket.connected) socket.emit('reaction:send', { emoji });
        });
        return button;
      }),
    );
    root.replaceChildren(reactions);
    new PaceButtons(root, socket);
  }
}
