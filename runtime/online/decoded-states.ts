// A bounded cache of decoded states, keyed by where a state is stored and checked against its exact
// stored text. Serving reads the same entities again and again (a wafer's state is read for each of
// its dies), and decoding a state with a long log costs far more than comparing its text: a read
// whose fetched text equals the cached text returns the cached (read-only) state instead of decoding
// it again. A changed state has changed text, so it is decoded afresh: the cache can never serve
// stale data, it only skips repeated parsing. Least recently used states are evicted first.
import type { EntityState } from "./backend.js";
import { decodeState } from "./state-text.js";
import { markReadOnly } from "./evaluate.js";

interface Cached {
  latest: string;
  extremes: string;
  sums: string;
  log: string;
  state: EntityState;
}

/** Texts shorter than this are decoded every time (cheap), so tiny states do not churn the cache. */
const MIN_CACHED_CHARS = 256;

export class DecodedStates {
  private readonly entries = new Map<string, Cached>();
  private chars = 0;

  /** `maxChars`: the stored text the cache may hold (its decoded states take about twice that memory). */
  constructor(private readonly maxChars = 8_000_000) {}

  /** The decoded state of these stored fields (null fields read as ""), from the cache when the text is unchanged. */
  decode(id: string, latest: string | null, extremes: string | null, sums: string | null, log: string | null): EntityState {
    const l = latest ?? "";
    const x = extremes ?? "";
    const s = sums ?? "";
    const g = log ?? "";
    const size = l.length + x.length + s.length + g.length;
    if (size < MIN_CACHED_CHARS || size > this.maxChars / 4) return decodeState(l, x, s, g);
    const hit = this.entries.get(id);
    if (hit !== undefined) {
      this.entries.delete(id);
      if (hit.log === g && hit.latest === l && hit.extremes === x && hit.sums === s) {
        this.entries.set(id, hit); // most recently used
        return hit.state;
      }
      this.chars -= hit.latest.length + hit.extremes.length + hit.sums.length + hit.log.length;
    }
    const state = decodeState(l, x, s, g);
    markReadOnly(state); // cached and handed out again, never changed: a fetched change decodes a new state
    this.entries.set(id, { latest: l, extremes: x, sums: s, log: g, state });
    this.chars += size;
    for (const [oldest, entry] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= entry.latest.length + entry.extremes.length + entry.sums.length + entry.log.length;
    }
    return state;
  }

  clear(): void {
    this.entries.clear();
    this.chars = 0;
  }
}
