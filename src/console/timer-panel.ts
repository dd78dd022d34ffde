/**
 * The talk timer: elapsed and remaining time, where the presenter stands
 * against the per-slide plan, the room's pace votes, and start / pause /
 * reset. Colours follow the phase: amber with a minute left, red at time,
 * blue in Q&A.
 */
import { formatSeconds, t, type MessageKey } from '../i18n/i18n';
import { el } from '../lib/dom';
import { icon } from '../lib/icons';
import type { PaceBalance, TimerState } from '../shared/protocol';
import { formatClock, paceStatus, timerElapsedMs, type PacePlan, type PaceStatus, type TalkPhase } from '../shared/pacing';
import type { ServerClock } from './server-clock';

const TICK_MS = 250;
const RESET_CONFIRM_MS = 3000;

const PHASE_LABEL: Record<TalkPhase, MessageKey> = {
  talk: 'timer.presenting',
  warning: 'timer.last-minute',
  overtime: 'timer.times-up',
  qa: 'timer.qa',
};

export interface TimerPanelOptions {
  plan: PacePlan;
  clock: ServerClock;
  control: (action: 'start' | 'pause' | 'reset') => void;
  onPhase: (phase: TalkPhase) => void;
}

export class TimerPanel {
  private timer: TimerState = { startedAt: null, accumulatedMs: 0, running: false };
  private position = { h: 0, v: 0 };
  private phase: TalkPhase | null = null;
  private resetArmed: ReturnType<typeof setTimeout> | undefined;

  private readonly elapsed = el('span', { className: 'clock-value elapsed', text: '0:00' });
  private readonly remaining = el('span', { className: 'clock-value remaining', text: '' });
  private readonly remainingLabel = el('span', { className: 'clock-label', text: t('timer.left') });
  private readonly phaseLabel = el('span', { className: 'phase-label' });
  private readonly indicator = el('span', { className: 'pace-indicator', attrs: { 'aria-live': 'polite' } });
  private readonly budget = el('span', { className: 'slide-budget' });
  private readonly windowBar = el('div', { className: 'pace-window' });
  private readonly nowBar = el('div', { className: 'pace-now' });
  private readonly roomPace = el('p', { className: 'room-pace', attrs: { 'aria-label': t('timer.room-pace-label') } });
  private readonly startButton = el('button', { className: 'timer-start', attrs: { type: 'button' } });
  private readonly resetButton = el('button', { className: 'timer-reset', text: t('timer.reset'), attrs: { type: 'button' } });

  constructor(
    private readonly root: HTMLElement,
    private readonly options: TimerPanelOptions,
  ) {
    root.replaceChildren(
      el('div', { className: 'clock-row' }, [
        el('div', { className: 'clock' }, [this.elapsed, el('span', { className: 'clock-label', text: t('timer.elapsed') })]),
        this.phaseLabel,
        el('div', { className: 'clock clock-right' }, [this.remaining, this.remainingLabel]),
      ]),
      el('div', { className: 'pace-bar', attrs: { 'aria-hidden': 'true' } }, [this.windowBar, this.nowBar]),
      el('div', { className: 'pace-row' }, [this.indicator, this.budget]),
      this.roomPace,
      el('div', { className: 'timer-controls' }, [this.startButton, this.resetButton]),
    );
    this.startButton.addEventListener('click', () => options.control(this.timer.running ? 'pause' : 'start'));
    this.resetButton.addEventListener('click', () => this.reset());
    setInterval(() => this.render(), TICK_MS);
    this.render();
  }

  setTimer(timer: TimerState): void {
    this.timer = timer;
    this.render();
  }

  setPosition(position: { h: number; v: number }): void {
    this.position = position;
    this.render();
  }

  setPace({ slower, faster }: PaceBalance): void {
    this.roomPace.replaceChildren(
      t('timer.room'),
      el('span', { className: slower > faster ? 'pace-vote is-leading' : 'pace-vote' }, [spaced(icon('turtle')), t('timer.slower', { count: slower })]),
      ' · ',
      el('span', { className: faster > slower ? 'pace-vote is-leading' : 'pace-vote' }, [spaced(icon('rabbit')), t('timer.faster', { count: faster })]),
    );
    this.root.dataset.room = slower > faster ? 'slower' : faster > slower ? 'faster' : 'even';
  }

  /** Resetting mid-talk loses the clock: the button asks once more. */
  private reset(): void {
    if (this.resetArmed === undefined) {
      this.resetButton.textContent = t('timer.reset-confirm');
      this.resetArmed = setTimeout(() => this.disarmReset(), RESET_CONFIRM_MS);
      return;
    }
    this.disarmReset();
    this.options.control('reset');
  }

  private disarmReset(): void {
    clearTimeout(this.resetArmed);
    this.resetArmed = undefined;
    this.resetButton.textContent = t('timer.reset');
  }

  private render(): void {
    const { plan } = this.options;
    const elapsedMs = timerElapsedMs(this.timer, this.options.clock.now());
    const status = paceStatus(plan, this.position, elapsedMs);
    const started = this.timer.running || this.timer.accumulatedMs > 0;

    this.elapsed.textContent = formatClock(elapsedMs);
    const over = status.remainingMs < 0;
    this.remaining.textContent = over ? `+${formatClock(-status.remainingMs)}` : formatClock(status.remainingMs, true);
    this.remainingLabel.textContent = t(over ? 'timer.over' : 'timer.left');
    this.root.dataset.phase = status.phase;
    this.root.dataset.running = String(this.timer.running);
    this.phaseLabel.textContent = t(started ? (this.timer.running ? PHASE_LABEL[status.phase] : 'timer.paused') : 'timer.not-started');
    this.startButton.textContent = t(this.timer.running ? 'timer.pause' : started ? 'timer.resume' : 'timer.start');
    this.startButton.setAttribute('aria-label', t(this.timer.running ? 'timer.pause-label' : 'timer.start-label'));

    this.renderPace(status, started);
    this.renderBar(status);
    if (status.phase !== this.phase) {
      this.phase = status.phase;
      this.options.onPhase(status.phase);
    }
  }

  private renderPace(status: PaceStatus, started: boolean): void {
    // In Q&A the slides are done: ahead or behind no longer means anything.
    const pace = status.phase === 'qa' ? 'done' : !started ? 'idle' : status.aheadSeconds > 0 ? 'ahead' : status.aheadSeconds < 0 ? 'behind' : 'on';
    this.indicator.dataset.pace = pace;
    const gap = formatSeconds(Math.abs(status.aheadSeconds));
    this.indicator.textContent =
      pace === 'done'
        ? t('timer.done')
        : pace === 'idle'
          ? t('timer.idle')
          : pace === 'on'
            ? t('timer.on-pace')
            : t(pace === 'ahead' ? 'timer.ahead' : 'timer.behind', { time: gap });
    this.budget.textContent =
      status.index < 0 ? '' : t('timer.budget', { number: status.index + 1, count: status.count, time: formatClock(status.budgetMs, true) });
  }

  /** The whole talk as a bar: the current slide's window in it, and where the clock is. */
  private renderBar(status: PaceStatus): void {
    const total = this.options.plan.durationMs || 1;
    const percent = (ms: number) => `${Math.min(100, Math.max(0, (ms / total) * 100))}%`;
    this.windowBar.style.left = percent(status.expectedStartMs);
    this.windowBar.style.width = `calc(${percent(status.expectedEndMs)} - ${percent(status.expectedStartMs)})`;
    this.nowBar.style.left = percent(status.elapsedMs);
  }
}

function spaced(image: HTMLImageElement): HTMLImageElement {
  image.style.marginInlineEnd = '0.25em';
  return image;
}
