/**
 * The replay's clock: how many bars are due after some wall-clock time at a speed. 1× is a live
 * feed of one-minute bars (one bar a minute); 1000× is 1000 bars a minute (≈ 16.7 a second). Time
 * not yet worth a whole bar is carried to the next frame, so the rate is exact over any stretch
 * however the frames fall. Pure: the state class owns the timer.
 */
import { MS_PER_MINUTE_BAR } from '../../engine/units.ts';

/**
 * Longest wall-clock step counted at once, ms. A hidden tab gets no animation frames; when it
 * comes back its first frame must not deliver minutes of bars in one burst (at 1000× a minute is
 * 1000 bars): a feed that paused with the tab resumes where it was.
 */
export const MAX_STEP_MS = 250;

/** Where the clock stands between frames. */
export interface ClockState {
  /** Wall-clock ms accumulated towards the next bar, in [0, one bar's interval). */
  carryMs: number;
}

/** One bar's wall-clock interval at `speed` (bars a minute of wall time), ms. */
export function barIntervalMs(speed: number): number {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`replay speed must be a positive number, got ${speed}`);
  return MS_PER_MINUTE_BAR / speed;
}

/**
 * Advance the clock by `dtMs` of wall time at `speed`: the whole bars due and the new carry.
 * `dtMs` is clamped to [0, {@link MAX_STEP_MS}] (a clock never runs backwards, nor bursts after a
 * hidden tab); `limit` caps the bars (the bars left in the session), the carry then resets.
 */
export function advanceClock(clock: ClockState, dtMs: number, speed: number, limit = Infinity): { bars: number; clock: ClockState } {
  const interval = barIntervalMs(speed);
  const dt = Math.min(MAX_STEP_MS, Math.max(0, Number.isFinite(dtMs) ? dtMs : 0));
  const total = clock.carryMs + dt;
  const due = Math.floor(total / interval);
  if (due >= limit) return { bars: Math.max(0, limit), clock: { carryMs: 0 } };
  return { bars: due, clock: { carryMs: total - due * interval } };
}

/** The clock after a change of speed: the time carried keeps its share of a bar, so the next bar is neither early nor late in proportion. */
export function rescaleClock(clock: ClockState, from: number, to: number): ClockState {
  return { carryMs: (clock.carryMs / barIntervalMs(from)) * barIntervalMs(to) };
}
