// The one interface every online state backend implements (memory, SQLite, Redis, Redis Cluster).
//
// The feature store keeps, per (view, entity), an EntityState: everything the view's features need
// to be evaluated at any read time T at or after the entity's latest event. The TypeScript side turns
// each batch of events into one DELTA per (view, entity): an EntityState of the same shape, built from
// those events alone. A backend only MERGES deltas into stored states with the generic operations
// below; it never sees a feature, an expression or a unit. Every operation is commutative and
// associative, so the same events give the same state whatever the arrival order, the batching or the
// number of concurrent writers, provided each merge is atomic per (view, entity):
//   memory: synchronous; SQLite: one transaction per merge() call; Redis: one Lua script per state.
//
// The reference implementation of merge is `mergeEntityState` in ./state.ts (the memory backend
// calls it); a backend written in another language (a Lua script) must compute the same thing. The
// shared conformance suite (test/online/backend-conformance.ts) checks it.
//
// ---- the generic merge, field by field (state ⊕ delta) ----
//   latest      keep the entry with the greater (key, encodePayload(value)); null is the identity.
//   extremes[i] layout.extremes[i] == "max": keep the greater (key, encodePayload(value)) entry;
//               "min": keep the lesser. null is the identity.
//   sums[i]     an exact sum held as an EXPANSION: finite doubles whose exact real sum is the value.
//               Merge adds every term of the delta's expansion into the state's with the
//               two-sum "grow expansion" step (runtime/kernels/exact-sum.ts `addToExpansion`, a
//               dozen lines to port). The list of terms may differ with the order; its exact sum,
//               and so every value read from it, does not. Conformance compares `roundExpansion`.
//   log         multiset union (duplicates are kept: two identical events count twice, as offline),
//               kept sorted ascending by (key, encodePayload(value)), then PRUNED: with
//               maxTs = merged latest.ts, keep an entry when it is among the layout.keepLast greatest
//               OR its ts > maxTs - layout.keepWithinMs; drop the rest. (Keys start with the event
//               time, so the kept entries are always a suffix of the sorted log.)
//
// ---- encodings (./encoding.ts) ----
//   Entry.key   ASCII only: [0-9a-f] plus '!' as a string terminator. Byte order of keys is the
//               source's order (event time, then order columns ascending). Compare keys byte-wise
//               (JS `<` on these strings is byte-wise; in Redis Lua do not rely on `<`, which uses
//               strcoll: compare with a byte loop or use sorted-set lexicographic ranges).
//   Payload     an array of scalars. `encodePayload` gives an ASCII, order-preserving, exact text
//               form (doubles as the 16 hex digits of their sortable bits, so nothing is lost);
//               `decodePayload` reverses it. Use it (or any exact form) to store payloads; never print
//               doubles with fewer than 17 significant digits (Lua's cjson prints 14).
//   sums        store each term exactly: `string.format("%.17g", x)` in Lua, or 8-byte binary.
//
// ---- keys ----
//   `view` is "name@version" (a new version never reads an older version's state); `entity` is
//   `JSON.stringify` of the entity's key values in the entity's key order. Keep every stored key
//   under the backend's `prefix`, so two projects (or two test runs) never see each other's state.

/** A value as stored: string, number (int, float or epoch ms), boolean, or null. */
export type Scalar = string | number | boolean | null;

/** A stored tuple of scalars: the latest row's columns, or one event's aggregate contributions. */
export type Payload = readonly Scalar[];

/** One event (or one extreme value) in a state. */
export interface Entry {
  /** Sortable ASCII key; see the header. For log and latest: the event's order key. */
  key: string;
  /**
   * The event time in epoch ms, the key's first component, for log, latest and first/last entries;
   * 0 for min/max entries (keyed by the value). Entries equal in (key, value) are interchangeable.
   */
  ts: number;
  value: Payload;
}

/** The state of one (view, entity), and also the shape of a delta merged into it. */
export interface EntityState {
  /** The latest event by the source's order: its order key, time and the columns row features read. */
  latest: Entry | null;
  /** Running min/max (by key) for `over all` aggregates: min, max, first and last. */
  extremes: (Entry | null)[];
  /** Running exact sums for `over all` aggregates (counts, sums, sums of squares), as expansions. */
  sums: number[][];
  /** Retained events with their aggregate contributions, sorted ascending by (key, payload). */
  log: Entry[];
}

/** What a backend needs to know to merge a view's states. Fixed per view version. */
export interface StateLayout {
  /** One direction per `extremes` slot. */
  readonly extremes: readonly ("min" | "max")[];
  /** The number of `sums` slots. */
  readonly sums: number;
  /** Keep the `keepLast` greatest log entries (0: none for this reason). */
  readonly keepLast: number;
  /** Keep log entries with ts > latest.ts - keepWithinMs (0: none for this reason). */
  readonly keepWithinMs: number;
}

/** Names one stored state. */
export interface StateRef {
  /** "name@version" */
  readonly view: string;
  /** JSON.stringify(key values) */
  readonly entity: string;
}

/** One delta to merge into the state `view`/`entity` (created empty when absent). */
export interface StateUpdate extends StateRef {
  readonly layout: StateLayout;
  /** The backend may keep (and later mutate) this object; the caller does not reuse it. */
  readonly delta: EntityState;
}

export interface OnlineBackend {
  /** The URL it was opened with, for messages. */
  readonly url: string;
  /**
   * Merges every update. Each (view, entity) is merged atomically: concurrent merge() calls from any
   * number of processes lose nothing. Updates of different states need not be atomic together.
   * When the promise resolves, every later read() sees the merged states.
   */
  merge(updates: readonly StateUpdate[]): Promise<void>;
  /**
   * Reads many states at once (one round trip where possible: pipelined on Redis), in `refs` order;
   * null for a state never written. The caller treats returned states as read-only.
   */
  read(refs: readonly StateRef[]): Promise<(EntityState | null)[]>;
  /** A named watermark (epoch ms), e.g. how far `materialize` has replayed a source; null if never set. */
  getWatermark(name: string): Promise<number | null>;
  setWatermark(name: string, ms: number): Promise<void>;
  /** Deletes every state and watermark under this backend's prefix. */
  drop(): Promise<void>;
  /** Releases connections and files. The backend is unusable afterwards. */
  close(): Promise<void>;
}

export interface BackendOptions {
  /** Namespace of every key/table row this backend writes (the project's name by default). */
  prefix: string;
}

/** How the SQLite and Redis modules export their factories (loaded on demand by ./backends.ts). */
export type OpenBackend = (url: string, options: BackendOptions) => Promise<OnlineBackend>;
