import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_STEP_MS, advanceClock, barIntervalMs, rescaleClock } from './replay-clock.ts';
import { SPEED_STOPS } from './alpha-settings.ts';

describe('replay clock', () => {
  it('runs 1× as a live feed of minute bars and 1000× at 1000 bars a minute', () => {
    expect(barIntervalMs(1)).toBe(60_000);
    expect(barIntervalMs(1000)).toBe(60);
    expect(barIntervalMs(100)).toBe(600);
    expect(() => barIntervalMs(0)).toThrow(/positive/);
    expect(() => barIntervalMs(Number.NaN)).toThrow(/positive/);
  });

  it('delivers 1000 bars in a minute of 60 Hz frames at 1000× (hand count: 3600 frames of 16.67 ms)', () => {
    let clock = { carryMs: 0 };
    let bars = 0;
    for (let i = 0; i < 3600; i++) {
      const step = advanceClock(clock, 1000 / 60, 1000);
      bars += step.bars;
      clock = step.clock;
    }
    // 3600 × 16.667 ms = 60,000 ms, less float dust: 999 or 1000 whole bars, never more.
    expect(bars).toBeGreaterThanOrEqual(999);
    expect(bars).toBeLessThanOrEqual(1000);
  });

  it('carries the time not worth a bar, so the count over any frames is total time / interval', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: MAX_STEP_MS, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(...SPEED_STOPS),
        (steps, speed) => {
          let clock = { carryMs: 0 };
          let bars = 0;
          for (const dt of steps) {
            const s = advanceClock(clock, dt, speed);
            expect(s.clock.carryMs).toBeGreaterThanOrEqual(0);
            expect(s.clock.carryMs).toBeLessThan(barIntervalMs(speed) + 1e-9);
            bars += s.bars;
            clock = s.clock;
          }
          const total = steps.reduce((a, b) => a + b, 0);
          const exact = total / barIntervalMs(speed);
          expect(Math.abs(bars + clock.carryMs / barIntervalMs(speed) - exact)).toBeLessThan(1e-6 * (1 + exact));
        },
      ),
    );
  });

  it('never runs backwards nor bursts after a hidden tab, and stops at the session’s end', () => {
    expect(advanceClock({ carryMs: 10 }, -500, 1000)).toEqual({ bars: 0, clock: { carryMs: 10 } });
    // A 10-minute gap counts as MAX_STEP_MS: 250 ms at 1000× (60 ms a bar) is 4 bars, 10 ms carried.
    expect(advanceClock({ carryMs: 0 }, 600_000, 1000)).toEqual({ bars: 4, clock: { carryMs: 10 } });
    expect(advanceClock({ carryMs: 0 }, 200, 1000, 2)).toEqual({ bars: 2, clock: { carryMs: 0 } });
    expect(advanceClock({ carryMs: 50 }, Number.NaN, 1000).bars).toBe(0);
  });

  it('keeps the share of a bar already waited when the speed changes', () => {
    // Half of a 600 ms bar (100×) is half of a 60 ms bar (1000×).
    expect(rescaleClock({ carryMs: 300 }, 100, 1000).carryMs).toBeCloseTo(30, 12);
  });
});
