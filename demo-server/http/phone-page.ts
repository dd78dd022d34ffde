/**
 * The phone's page as each phone first sees it: the talk's title and the live slide's title are in
 * the HTML, and the live position rides along, so the first frame is already the right slide
 * (before any script or request) and does not move when the deck takes over.
 */
import type { Talk } from '../talk/load-talk.js';
import type { SlidePosition } from '../../src/shared/protocol.js';

export interface PhonePageSource {
  /** The live talk now (null: none is live yet, the page waits for one). */
  talk: () => Talk | null;
  /** The live position now. */
  position: () => SlidePosition;
  /** The session has ended: the page shows its handout, not the live slide. */
  ended?: () => boolean;
  /** The session on the screens (its handout is what the page shows once it has ended). */
  sessionId?: () => number;
}

/** What the page's template must contain, in the order they appear; each is replaced once. */
const MARKS = {
  title: '<title>livedeck</title>',
  position: '<body class="audience" data-slide="">',
  talkTitle: '<h1 class="talk-title">livedeck</h1>',
  deck: '<div class="reveal phone-deck" tabindex="0">',
  slide: '<section class="present"></section>',
} as const;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A colour from `data-background-color`, only in forms that cannot break out of a style attribute. */
const CSS_COLOUR = /^(#[0-9a-f]{3,8}|[a-z]{3,20}|(rgb|hsl)a?\([0-9.,%\s/]+\))$/i;

/** Throws at start if the built page lost a mark, so a template change cannot silently turn this off. */
export function checkPhoneTemplate(html: string): void {
  const missing = Object.values(MARKS).filter((mark) => !html.includes(mark));
  if (missing.length) throw new Error(`the phone page lost its server-rendered marks: ${missing.join(', ')}`);
}

/** The handout of one ended session: the phone's page, which fetches GET /api/handout/:id and shows it in place of the live slide. */
export function renderHandoutPage(html: string, sessionId: number, title = 'Handout', follow = false): string {
  const safeTitle = escapeHtml(title);
  return html
    .replace(MARKS.title, `<title>${safeTitle}</title>`)
    .replace(MARKS.position, `<body class="audience is-handout" data-slide="" data-session="${sessionId}"${follow ? ' data-follow' : ''}>`)
    .replace(MARKS.talkTitle, `<h1 class="talk-title">${safeTitle}</h1>`);
}

export function renderPhonePage(html: string, source: PhonePageSource): string {
  const talk = source.talk();
  // No talk live yet: the template as it is ("livedeck", no slide); the page says it is waiting.
  if (!talk) return html.replace(MARKS.position, '<body class="audience is-waiting" data-slide="">');
  // The talk has ended: its handout replaces the slide, so the first frame shows no slide that would vanish.
  // `data-follow`: the join URL loads again when the next session starts; a handout's own URL stays put.
  if (source.ended?.()) return renderHandoutPage(html, source.sessionId?.() ?? 0, talk.title, true);
  const { h, v, f } = source.position();
  const slide = talk.slides[h]?.[v];
  const stack = talk.slides[h]?.[0];
  const title = escapeHtml(talk.title);
  const level = /<h([1-6])[\s>]/.exec(slide?.html ?? '')?.[1] ?? '2';
  const heading = slide?.title ? `<h${level}>${escapeHtml(slide.title)}</h${level}>` : '';
  const background = /data-background-color="([^"]*)"/.exec(slide?.attributes || stack?.attributes || '')?.[1] ?? '';
  const style = CSS_COLOUR.test(background) ? ` style="--slide-background: ${background}"` : '';
  return html
    .replace(MARKS.title, `<title>${title}</title>`)
    .replace(MARKS.position, `<body class="audience" data-slide="${h}.${v}.${f}">`)
    .replace(MARKS.talkTitle, `<h1 class="talk-title">${title}</h1>`)
    .replace(MARKS.deck, `<div class="reveal phone-deck" tabindex="0"${style}>`)
    .replace(MARKS.slide, `<section class="present">${heading}</section>`);
}
