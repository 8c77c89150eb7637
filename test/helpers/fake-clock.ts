/**
 * A clock for code that takes `clock: () => number` (milliseconds since the epoch): time stands still
 * until the test moves it, so hours of behaviour run in milliseconds and nothing depends on the machine
 * being fast or slow.
 */
export interface FakeClock {
  /** The current fake time, ms since the epoch. Pass `clock.now` wherever a clock is expected. */
  readonly now: () => number;
  /** Moves time forward by `ms` (which must not be negative) and returns the new time. */
  advance(ms: number): number;
  /** Sets the time to `ms` (it may go backwards, to test clock jumps) and returns it. */
  set(ms: number): number;
  /** The current fake time as a `Date`. */
  date(): Date;
}

/** Creates a {@link FakeClock} starting at `startMs` (default 2024-01-01T00:00:00Z). */
export function createFakeClock(startMs: number = Date.UTC(2024, 0, 1)): FakeClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms: number): number {
      if (!(ms >= 0)) throw new RangeError(`FakeClock.advance needs a non-negative number of ms, got ${ms}`);
      current += ms;
      return current;
    },
    set(ms: number): number {
      if (!Number.isFinite(ms)) throw new RangeError(`FakeClock.set needs a finite number of ms, got ${ms}`);
      current = ms;
      return current;
    },
    date: () => new Date(current),
  };
}
