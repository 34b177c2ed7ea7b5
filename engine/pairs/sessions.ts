/**
 * Sessions of intraday bars. A session is the calendar date of the bar in the exchange's local
 * time: the date written in the bar's ISO 8601 timestamp, which carries the exchange's UTC offset
 * (`2026-11-16T09:30:00-05:00` is in session 2026-11-16). A timestamp written in UTC (`Z`) gives
 * its UTC date — the same date for a US regular session (13:30–21:00 UTC at the latest).
 */

/** The session date (`YYYY-MM-DD`) of each bar: the first ten characters of its timestamp. */
export function sessionDates(timestamps: readonly string[]): string[] {
  return timestamps.map((t) => t.slice(0, 10));
}

/**
 * The session of each bar as an index (0 for the first session, +1 at each change of date), the
 * labels the backtest takes. Timestamps are assumed increasing, as the bars parser guarantees.
 */
export function sessionIds(timestamps: readonly string[]): Int32Array {
  const ids = new Int32Array(timestamps.length);
  let id = 0;
  let date = timestamps.length > 0 ? timestamps[0].slice(0, 10) : '';
  for (let t = 1; t < timestamps.length; t++) {
    const next = timestamps[t].slice(0, 10); // one slice a bar: the previous date is kept
    if (next !== date) id++;
    ids[t] = id;
    date = next;
  }
  return ids;
}

/** Whether bar t is its session's last (the next bar is in another session, or t is the last bar). */
export function sessionEnds(sessions: ArrayLike<number>): Uint8Array {
  const n = sessions.length;
  const ends = new Uint8Array(n);
  for (let t = 0; t < n; t++) ends[t] = t === n - 1 || sessions[t + 1] !== sessions[t] ? 1 : 0;
  return ends;
}
