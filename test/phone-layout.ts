/**
 * What a person with a small phone would check, measured in the page: no control over the
 * slide's text, nothing clipped in the top bar or a card, cards without hidden scrolling, three
 * chat lines in sight, code never below 12 px. Each check returns the problems it found, so a
 * failing test says what is wrong where.
 */
import type { Page } from 'playwright-core';

export interface LayoutOptions {
  /** A card (poll, ping, spotlight) is up: it must show all of itself, and the chat three lines. */
  card?: boolean;
  /** The slide shows code: every line at 12 px or more, the highlighted step in view. */
  code?: boolean;
  /** The presenter's pause covers the slide on purpose: skip the control-over-text check. */
  paused?: boolean;
}

export async function layoutProblems(page: Page, options: LayoutOptions = {}): Promise<string[]> {
  return page.evaluate((options) => {
    const problems: string[] = [];
    type Box = { left: number; top: number; right: number; bottom: number };
    const viewport: Box = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
    const intersect = (a: Box, b: Box): Box | null => {
      const box = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
      return box.right - box.left > 0.5 && box.bottom - box.top > 0.5 ? box : null;
    };
    const inside = (inner: Box, outer: Box) =>
      inner.left >= outer.left - 0.5 && inner.top >= outer.top - 0.5 && inner.right <= outer.right + 0.5 && inner.bottom <= outer.bottom + 0.5;
    const shown = (element: Element) => element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    const name = (element: Element) =>
      `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? '.' + element.className.split(' ').join('.') : ''} “${(element.textContent ?? element.getAttribute('aria-label') ?? '').trim().slice(0, 30)}”`;

    // 1. The slide's visible text, and every control outside the slide: no overlap.
    const scroller = document.querySelector('.phone-deck')!;
    const slideView = intersect(scroller.getBoundingClientRect(), viewport);
    const slide = [...document.querySelectorAll('.phone-deck .slides section.present')].at(-1);
    const textBoxes: Array<{ box: Box; text: string }> = [];
    if (slide && slideView) {
      const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const node = walker.currentNode as Text;
        if (!node.data.trim() || !node.parentElement || !shown(node.parentElement)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of range.getClientRects()) {
          const box = intersect(rect, slideView);
          if (box) textBoxes.push({ box, text: node.data.trim().slice(0, 30) });
        }
      }
      if (textBoxes.length === 0) problems.push('no slide text is in view');
    }
    if (!options.paused) {
      for (const control of document.querySelectorAll('button, a[href], input, select, textarea, [role="button"]')) {
        if (control.closest('.phone-deck') || !shown(control)) continue;
        const box = control.getBoundingClientRect();
        for (const text of textBoxes) {
          if (intersect(box, text.box)) problems.push(`${name(control)} covers slide text “${text.text}”`);
        }
      }
    }

    // The room's fixed parts (toolbar, tabs, the chat's input, reactions) are all on the screen.
    for (const part of document.querySelectorAll('.slide-toolbar, .tabs-row, .view:not([hidden]) .compose, .feedback-bar')) {
      if (shown(part) && !inside(part.getBoundingClientRect(), viewport)) problems.push(`${name(part)} is cut off by the screen's edge`);
    }

    // 2. The top bar: every piece inside the screen, none clipped; the talk's title keeps 12 characters.
    for (const piece of document.querySelectorAll('.topbar > *')) {
      if (!shown(piece) || piece.getBoundingClientRect().width < 2) continue;
      const box = piece.getBoundingClientRect();
      if (!inside(box, viewport)) problems.push(`top bar: ${name(piece)} runs off the screen`);
      if (piece.classList.contains('talk-title')) {
        const text = piece.firstChild;
        if (text instanceof Text && text.data.length >= 12) {
          const range = document.createRange();
          range.setStart(text, 0);
          range.setEnd(text, 12);
          const needed = range.getBoundingClientRect().width;
          if (box.width + 0.5 < needed)
            problems.push(`top bar: the talk title shows less than 12 characters (${Math.round(box.width)} px of ${Math.round(needed)})`);
        }
      } else if (piece.scrollWidth > piece.clientWidth + 1) problems.push(`top bar: ${name(piece)} is clipped`);
    }

    // 3. Cards show all of themselves: inside the screen, no inner scrolling, no clipped text, every button reachable.
    if (options.card) {
      const cards = [...document.querySelectorAll('.live-card, .spotlight')].filter(shown);
      if (cards.length === 0) problems.push('no card is shown');
      for (const card of cards) {
        const box = card.getBoundingClientRect();
        if (!inside(box, viewport)) problems.push(`card ${name(card)} runs off the screen`);
        if (card.scrollHeight > card.clientHeight + 1) problems.push(`card ${name(card)} hides part of itself behind a scroll`);
        for (const element of [card, ...card.querySelectorAll('*')]) {
          if (!shown(element) || element.tagName === 'svg' || element.closest('svg')) continue;
          const style = getComputedStyle(element);
          if (
            /(hidden|clip|auto|scroll)/.test(style.overflowX + style.overflowY) &&
            (element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1)
          ) {
            if (!element.classList.contains('poll-bar')) problems.push(`card: ${name(element)} is clipped`);
          }
        }
        for (const button of card.querySelectorAll('button')) {
          if (!shown(button)) continue;
          const b = button.getBoundingClientRect();
          const hit = document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2);
          if (!hit || !button.contains(hit)) problems.push(`card: ${name(button)} is covered or off screen`);
        }
      }
      const chat = document.querySelector('.chat-list');
      if (chat && shown(chat)) {
        const view = chat.getBoundingClientRect();
        const whole = [...chat.children].filter((line) => inside(line.getBoundingClientRect(), view)).length;
        if (whole < 3) problems.push(`the chat shows ${whole} whole lines while a card is up`);
      }
    }

    // 4. Code: never below 12 px; the highlighted step in view.
    if (options.code) {
      const lines = [...(slide?.querySelectorAll('.code-line') ?? [])];
      if (lines.length === 0) problems.push('no code on the slide');
      for (const line of lines) {
        const size = Number.parseFloat(getComputedStyle(line).fontSize);
        if (size < 12) {
          problems.push(`code renders at ${size} px`);
          break;
        }
      }
      // The block that steps (the one whose step was just shown): its highlighted lines must be in view.
      const stepping = slide?.querySelector('.code-step.current-fragment')?.closest('.code-block') ?? slide?.querySelector("pre[data-steps*='|']");
      const step = stepping?.querySelector('.code-line.highlight');
      if (step && slideView && !inside(step.getBoundingClientRect(), { ...slideView, left: -Infinity, right: Infinity }))
        problems.push('the highlighted code step is out of view');
    }
    return problems;
  }, options);
}
