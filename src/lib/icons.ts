/**
 * The icons every surface draws (reactions, pace, the audience counter): bundled SVG files served
 * by livedeck, so a phone, a laptop and a projector show the same picture with or without an emoji
 * font. Reaction
 * ids on the wire stay the emoji of REACTIONS; only their drawing comes from here.
 */
import { t } from '../i18n/i18n';
import type { Reaction } from '../shared/limits';
import { REACTION_INFO } from '../shared/reactions';
import clappingHands from 'icon:clapping-hands';
import explodingHead from 'icon:exploding-head';
import faceWithTearsOfJoy from 'icon:face-with-tears-of-joy';
import mobilePhone from 'icon:mobile-phone';
import partyPopper from 'icon:party-popper';
import pencil from 'icon:pencil';
import rabbit from 'icon:rabbit';
import redHeart from 'icon:red-heart';
import satelliteAntenna from 'icon:satellite-antenna';
import thumbsUp from 'icon:thumbs-up';
import turtle from 'icon:turtle';

const URLS = {
  'thumbs-up': thumbsUp,
  'clapping-hands': clappingHands,
  'red-heart': redHeart,
  'face-with-tears-of-joy': faceWithTearsOfJoy,
  'exploding-head': explodingHead,
  'party-popper': partyPopper,
  turtle,
  rabbit,
  'mobile-phone': mobilePhone,
  'satellite-antenna': satelliteAntenna,
  pencil,
} as const;

export type IconName = keyof typeof URLS;

/** How each reaction is drawn. */
export const REACTION_ICONS: Record<Reaction, { icon: IconName }> = REACTION_INFO;

/** What a reaction is called in the page's language (for screen readers and tooltips). */
export function reactionLabel(emoji: Reaction): string {
  return t(`reaction.${REACTION_INFO[emoji].icon}`);
}

/**
 * A fresh `<img class="icon">` of one icon, 1em square unless CSS says otherwise. Decorative
 * (empty alt) unless it gets a label, which becomes its text alternative.
 */
export function icon(name: IconName, label = ''): HTMLImageElement {
  const image = document.createElement('img');
  image.className = 'icon';
  image.src = URLS[name];
  image.alt = label;
  image.draggable = false;
  // The icon's box is known before it loads, so nothing moves when it arrives.
  image.style.width = image.style.height = '1em';
  image.style.verticalAlign = '-0.15em';
  return image;
}

/** A reaction's icon; unknown ids (never sent by our phones) draw nothing. */
export function reactionIcon(emoji: string, label?: string): HTMLImageElement | null {
  const known = REACTION_ICONS[emoji as Reaction];
  return known ? icon(known.icon, label) : null;
}
