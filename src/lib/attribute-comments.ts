/**
 * Applies reveal.js Markdown attribute comments: `<!-- .element: class="fragment" -->`
 * sets attributes on the element that holds the comment (or the element just
 * before it), `<!-- .slide: … -->` on the enclosing section.
 */
const ATTRIBUTE = /([^\s"'=]+)\s*=\s*"([^"]*)"/g;

function apply(target: Element, attributes: string): void {
  for (const [, name, value] of attributes.matchAll(ATTRIBUTE)) {
    if (!name || /^on/i.test(name)) continue;
    if (name === 'class') target.classList.add(...(value ?? '').split(/\s+/).filter(Boolean));
    else target.setAttribute(name, value ?? '');
  }
}

/** The element right before the comment (ignoring whitespace), else the element holding it. */
function elementBefore(comment: Comment): Element | null {
  let previous = comment.previousSibling;
  while (previous && previous.nodeType === Node.TEXT_NODE && !previous.textContent?.trim()) previous = previous.previousSibling;
  return previous instanceof Element ? previous : comment.parentElement;
}

export function applyAttributeComments(root: Element): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const comments: Comment[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode as Comment);
  for (const comment of comments) {
    const match = /^\s*\.(element|slide):\s*([\s\S]*?)\s*$/.exec(comment.data);
    if (!match) continue;
    const [, kind, attributes = ''] = match;
    const target = kind === 'slide' ? comment.parentElement?.closest('section') : elementBefore(comment);
    if (target) apply(target, attributes);
    comment.remove();
  }
}
