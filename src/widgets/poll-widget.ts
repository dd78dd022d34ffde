/**
 * One answer widget of any kind (choice poll, scale, word cloud, open text)
 * for one surface: `room` shows results (the projector, the console's
 * previews), `phone` is the widget in a phone's slide, `card` the phone's
 * live card, `console` the presenter's controls and moderation.
 */
import type { PollDefinition } from '../shared/poll-definitions';
import { PollChart } from './poll-chart';
import { pollDefinitionsIn, type PollStore } from './poll-store';
import { ScaleChart } from './scale-chart';
import { TextWidget } from './text-widget';
import type { CloudSizes } from './word-cloud';
import { WordsWidget } from './words-widget';

export type PollSurface = 'room' | 'phone' | 'card' | 'console';

export interface PollWidget {
  readonly element: HTMLElement;
  /** Redraws from the store. */
  update(): void;
}

/** Slide pixels on the 1280×720 stage: the smallest word stays readable from the back row. */
const ROOM_CLOUD: CloudSizes = { minSize: 28, maxSize: 96, padding: 6 };
/** CSS pixels on a phone. */
const PHONE_CLOUD: CloudSizes = { minSize: 14, maxSize: 40, padding: 3 };

export function createPollWidget(definition: PollDefinition, store: PollStore, surface: PollSurface): PollWidget {
  const id = definition.id;
  const canVote = surface === 'phone' || surface === 'card';
  const actions = { reset: () => store.reset(id), close: (closed: boolean) => store.close(id, closed) };
  switch (definition.kind) {
    case 'poll': {
      const chart = new PollChart(definition, {
        ...(canVote ? { vote: (option: number) => store.vote(id, option) } : {}),
        ...(surface === 'console' ? { controls: actions } : {}),
      });
      return { element: chart.element, update: () => chart.update(store.poll(id)) };
    }
    case 'scale': {
      const chart = new ScaleChart(definition, {
        ...(canVote ? { vote: (option: number) => store.vote(id, option) } : {}),
        ...(surface === 'console' ? { controls: actions } : {}),
      });
      return { element: chart.element, update: () => chart.update(store.poll(id)) };
    }
    case 'words':
      return new WordsWidget(definition, store, {
        ...(surface === 'room' ? { cloud: ROOM_CLOUD } : surface === 'phone' ? { cloud: PHONE_CLOUD, form: true } : {}),
        ...(surface === 'card' ? { form: true } : {}),
        ...(surface === 'console' ? { moderation: true } : {}),
      });
    case 'text':
      return new TextWidget(definition, store, surface);
  }
}

/** Draws every answer widget under `root` for a surface, kept current by the store. */
export function mountPollWidgets(root: ParentNode, store: PollStore, surface: PollSurface): Map<string, PollWidget> {
  const widgets = new Map<string, PollWidget>();
  for (const { element, definition } of pollDefinitionsIn(root)) {
    const widget = createPollWidget(definition, store, surface);
    element.replaceChildren(widget.element);
    widget.update();
    widgets.set(definition.id, widget);
  }
  store.subscribe((poll) => widgets.get(poll)?.update());
  return widgets;
}
