// The feature store API: push events, materialize from the offline store, read features online.
// A generated module opens one with its compiled project (`openStore`), typed by its declarations.
import type { OnlineBackend, Scalar, StateRef, StateUpdate } from "./backend.js";
import type { CompiledProject, CompiledSource, CompiledView, EventValues, ScalarType } from "./compiled.js";
import { openBackend } from "./backends.js";
import { MemoryBackend } from "./memory-backend.js";
import { evaluateView } from "./evaluate.js";
import { resolveRequest, LookupError, type ResolvedFeature } from "./feature-refs.js";
import { EventBatch, orderKeyFunction, viewUpdates } from "./ingest.js";
import { validateEvents } from "./validate.js";
import { materializeInto, type MaterializeOptions, type MaterializeResult } from "./materialize.js";
import { suggest } from "../../compiler/ir-lookup.js";
import { toEpochMs } from "../time.js";
import { OnlineInputError } from "./errors.js";

export type FeatureValue = string | number | boolean | Date | null;
export type FeatureRow = Record<string, FeatureValue>;
export type EntityRow = Readonly<Record<string, unknown>>;

export interface StoreOptions {
  /** Online store URL: memory, memory:NAME, sqlite:PATH, redis://HOST:PORT/DB. Default: $FEATC_ONLINE. */
  online?: string;
  /** Namespace of the stored state. Default: the project's name given at compile time. */
  prefix?: string;
  /** Offline store URL for materialize. Default: $FEATC_DB. */
  offline?: string;
}

export interface ReadOptions {
  /** The time T the features are wanted at (Date, ISO-8601 or epoch ms). Default: now. */
  at?: Date | string | number;
  /** Name outputs `view__feature` instead of `feature`. */
  fullNames?: boolean;
}

export interface PushResult {
  events: number;
  /** How many (view, entity) states changed. */
  states: number;
}

/** A store typed by a generated module: `Sources` maps source names to event types, `Services` service names to rows. */
export interface TypedFeatureStore<Sources, Services extends Record<string, { entity: unknown; features: unknown }>> {
  /** Applies a batch of events of one source; a batch with any bad event is rejected whole. */
  push<S extends keyof Sources & string>(source: S, events: readonly Sources[S][]): Promise<PushResult>;
  /** One result per entity row, in order: a service's features. */
  getOnlineFeatures<S extends keyof Services & string>(
    service: S,
    rows: readonly Services[S]["entity"][],
    options?: ReadOptions,
  ): Promise<Services[S]["features"][]>;
  /** One result per entity row, in order: the listed features (`view.feature`, `view@2.feature`, `view.*`). */
  getOnlineFeatures(features: readonly string[], rows: readonly EntityRow[], options?: ReadOptions): Promise<FeatureRow[]>;
  /** Rebuilds the online state from the offline store, or (incremental) continues from its watermark. */
  materialize(options?: MaterializeOptions): Promise<MaterializeResult>;
  close(): Promise<void>;
}

export class FeatureStore implements TypedFeatureStore<Record<string, EntityRow>, Record<string, { entity: EntityRow; features: FeatureRow }>> {
  private readonly sourceViews = new Map<string, { source: CompiledSource; views: CompiledView[]; orderKey: (v: EventValues) => string }>();

  constructor(readonly project: CompiledProject, readonly backend: OnlineBackend, private readonly offlineUrl?: string) {
    for (const source of project.sources) {
      const views = project.views.filter((v) => v.source === source.name);
      this.sourceViews.set(source.name, { source, views, orderKey: orderKeyFunction(source) });
    }
  }

  private sourceNamed(name: string) {
    const entry = this.sourceViews.get(name);
    if (!entry) throw new LookupError(`unknown source \`${name}\`${suggest(name, [...this.sourceViews.keys()])}`);
    return entry;
  }

  /** The deltas a batch of already validated events gives, for every view of its source. */
  updatesFor(sourceName: string, events: readonly EventValues[]): StateUpdate[] {
    const { source, views, orderKey } = this.sourceNamed(sourceName);
    if (views.length === 0 || events.length === 0) return [];
    const batch = new EventBatch(events, source.timestamp, orderKey);
    return views.length === 1 ? viewUpdates(views[0], batch) : views.flatMap((view) => viewUpdates(view, batch));
  }

  /** Validates and applies events given as values in column order (materialize's path into push). */
  async applyValues(sourceName: string, events: readonly EventValues[]): Promise<number> {
    if (this.backend instanceof MemoryBackend) {
      // In process: events go straight into the states (the same states as merging their deltas).
      const { source, views, orderKey } = this.sourceNamed(sourceName);
      if (views.length === 0 || events.length === 0) return 0;
      return this.backend.applyEvents(views, new EventBatch(events, source.timestamp, orderKey));
    }
    const updates = this.updatesFor(sourceName, events);
    await this.backend.merge(updates);
    return updates.length;
  }

  async push(source: string, events: readonly unknown[]): Promise<PushResult> {
    const values = validateEvents(this.sourceNamed(source).source, events);
    return { events: values.length, states: await this.applyValues(source, values) };
  }

  async materialize(options: MaterializeOptions = {}): Promise<MaterializeResult> {
    return materializeInto(this, options, this.offlineUrl);
  }

  getOnlineFeatures(service: string, rows: readonly EntityRow[], options?: ReadOptions): Promise<FeatureRow[]>;
  getOnlineFeatures(features: readonly string[], rows: readonly EntityRow[], options?: ReadOptions): Promise<FeatureRow[]>;
  async getOnlineFeatures(request: string | readonly string[], rows: readonly EntityRow[], options: ReadOptions = {}): Promise<FeatureRow[]> {
    const at = options.at === undefined ? Date.now() : toEpochMs(options.at);
    if (at === undefined) {
      throw new OnlineInputError(`\`at\` ${JSON.stringify(options.at)} is not a time; pass a Date, an ISO-8601 string or epoch milliseconds`);
    }
    const wanted = this.resolved(request, options.fullNames);
    const views = [...new Set(wanted.map((w) => w.view))];
    // Which state each (row, view) needs; each distinct state is read and evaluated once.
    const refs: StateRef[] = [];
    const slotViews: CompiledView[] = [];
    const slotOf = new Map<string, number>();
    const rowSlots = views.map((view) =>
      rows.map((row, i) => {
        const entity = entityIdOfRow(view, row, i);
        const id = `${view.id}\u0000${entity}`;
        let slot = slotOf.get(id);
        if (slot === undefined) {
          slot = refs.length;
          slotOf.set(id, slot);
          refs.push({ view: view.id, entity });
          slotViews.push(view);
        }
        return slot;
      }),
    );
    const states = await this.backend.read(refs);
    const evaluated = states.map((state, slot) => evaluateView(slotViews[slot], state, at) as Record<string, FeatureValue> | null);
    const viewIndex = wanted.map((w) => views.indexOf(w.view));
    return rows.map((_, i) => {
      const out: FeatureRow = {};
      for (let j = 0; j < wanted.length; j++) {
        const features = evaluated[rowSlots[viewIndex[j]][i]];
        out[wanted[j].name] = features === null ? null : (features[wanted[j].ref.feature] ?? null);
      }
      return out;
    });
  }

  private readonly resolvedRequests = new Map<string, ResolvedFeature[]>();

  /** A request's features, resolved once per distinct request (serving repeats the same few). */
  private resolved(request: string | readonly string[], fullNames: boolean | undefined): ResolvedFeature[] {
    const id = JSON.stringify([request, fullNames]);
    let wanted = this.resolvedRequests.get(id);
    if (wanted === undefined) {
      wanted = resolveRequest(this.project, request, fullNames);
      if (this.resolvedRequests.size < 1000) this.resolvedRequests.set(id, wanted);
    }
    return wanted;
  }

  async close(): Promise<void> {
    await this.backend.close();
  }
}

function keyValue(raw: unknown, type: ScalarType): Scalar | undefined {
  switch (type) {
    case "string": return typeof raw === "string" ? raw : undefined;
    case "int": return typeof raw === "number" && Number.isSafeInteger(raw) ? raw : undefined;
    case "float": return typeof raw === "number" && Number.isFinite(raw) ? raw : undefined;
    case "bool": return typeof raw === "boolean" ? raw : undefined;
    case "timestamp": return toEpochMs(raw);
  }
}

/** The entity id of an entity row for a view: the same JSON as events give (see ingest.ts). */
function entityIdOfRow(view: CompiledView, row: EntityRow, index: number): string {
  const values = view.keys.map((key, k) => {
    const raw = row[key];
    if (raw === undefined || raw === null) {
      throw new OnlineInputError(`entity row ${index} (0-based) has no \`${key}\`; view \`${view.name}\` is keyed by ${view.keys.map((x) => `\`${x}\``).join(", ")}`);
    }
    const value = keyValue(raw, view.keyTypes[k]);
    if (value === undefined) {
      throw new OnlineInputError(`entity row ${index} (0-based): \`${key}\` is ${JSON.stringify(raw)}, not a ${view.keyTypes[k]}`);
    }
    return value;
  });
  return JSON.stringify(values);
}

/** Opens a feature store for a compiled project (what a generated module's openFeatureStore calls). */
export async function openStore<Sources, Services extends Record<string, { entity: unknown; features: unknown }>>(
  project: CompiledProject,
  options: StoreOptions & { defaultPrefix?: string } = {},
): Promise<TypedFeatureStore<Sources, Services>> {
  const online = options.online ?? process.env.FEATC_ONLINE;
  if (!online) throw new OnlineInputError("no online store: pass { online: URL } (memory, sqlite:PATH, redis://HOST:PORT/DB) or set FEATC_ONLINE");
  const backend = await openBackend(online, { prefix: options.prefix ?? options.defaultPrefix ?? "featc" });
  return new FeatureStore(project, backend, options.offline ?? process.env.FEATC_DB) as unknown as TypedFeatureStore<Sources, Services>;
}
