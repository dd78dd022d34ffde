/**
 * A thumb on the slide: a sideways swipe looks back or comes forward (the follower decides what
 * "forward" may mean), a tap opens the slide full screen. Swipes inside something that scrolls
 * sideways (code, a wide table) scroll it instead, and taps on links and buttons are theirs.
 */
const SWIPE_MIN_PX = 40;

export interface GestureActions {
  back: () => void;
  forward: () => void;
  tap: () => void;
}

export function listenForGestures(surface: HTMLElement, actions: GestureActions): void {
  let start: { x: number; y: number; scrollsSideways: boolean } | null = null;
  let swiped = false;

  surface.addEventListener(
    'touchstart',
    (event) => {
      const touch = event.touches[0];
      start = touch && event.touches.length === 1 ? { x: touch.clientX, y: touch.clientY, scrollsSideways: scrollsSideways(event.target, surface) } : null;
    },
    { passive: true },
  );
  surface.addEventListener(
    'touchend',
    (event) => {
      const touch = event.changedTouches[0];
      if (!start || !touch) return;
      const dx = touch.clientX - start.x;
      const dy = touch.clientY - start.y;
      const wasSideways = start.scrollsSideways;
      start = null;
      if (wasSideways || Math.abs(dx) < SWIPE_MIN_PX || Math.abs(dx) < Math.abs(dy) * 1.5) return;
      swiped = true;
      if (dx > 0) actions.back();
      else actions.forward();
    },
    { passive: true },
  );
  surface.addEventListener('touchcancel', () => (start = null), { passive: true });

  surface.addEventListener('click', (event) => {
    if (swiped) {
      swiped = false;
      return;
    }
    const target = event.target as Element;
    const control = target.closest('a, button, input, select, textarea, label, summary, [tabindex]');
    if (control && control !== surface) return;
    // Selecting text, or the second tap of a double tap (the browser's zoom), is not a tap on the slide.
    if (window.getSelection()?.toString() || event.detail > 1) return;
    actions.tap();
  });
}

function scrollsSideways(target: EventTarget | null, surface: Element): boolean {
  for (let node = target instanceof Element ? target : null; node && node !== surface; node = node.parentElement) {
    if (node.scrollWidth > node.clientWidth + 1 && /(auto|scroll)/.test(getComputedStyle(node).overflowX)) return true;
  }
  return false;
}
