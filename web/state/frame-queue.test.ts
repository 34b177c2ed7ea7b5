import { describe, expect, it } from 'vitest';
import { FrameQueue } from './frame-queue.ts';

/** A hand-cranked frame clock. */
function frames() {
  const waiting: (() => void)[] = [];
  return { schedule: (fn: () => void) => void waiting.push(fn), tick: () => waiting.splice(0).forEach((fn) => fn()), size: () => waiting.length };
}

describe('FrameQueue', () => {
  it('starts only the latest request of a frame, once', () => {
    const clock = frames();
    const started: number[] = [];
    const queue = new FrameQueue<number>(clock.schedule, (r) => started.push(r));
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(clock.size()).toBe(1);
    expect(started).toEqual([]);
    clock.tick();
    expect(started).toEqual([3]);
    queue.push(4);
    clock.tick();
    expect(started).toEqual([3, 4]);
  });

  it('starts nothing for a frame whose request was cleared', () => {
    const clock = frames();
    const started: string[] = [];
    const queue = new FrameQueue<string>(clock.schedule, (r) => started.push(r));
    queue.push('a');
    queue.clear();
    clock.tick();
    expect(started).toEqual([]);
    queue.push('b');
    clock.tick();
    expect(started).toEqual(['b']);
  });
});
