/** Which lines a code step like "1-3,7" selects (steps are declared in a fence's `[…|…]`). */
export function linesOfStep(step: string): Set<number> {
  const selected = new Set<number>();
  for (const part of step.split(',')) {
    const [from, to] = part.split('-').map((value) => Number.parseInt(value, 10));
    if (from === undefined || Number.isNaN(from)) continue;
    const last = to === undefined || Number.isNaN(to) ? from : to;
    for (let line = from; line <= last; line++) selected.add(line);
  }
  return selected;
}
