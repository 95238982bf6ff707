// `featc/runtime`: what generated online modules and serving code import.
export type { Scalar, Payload, Entry, EntityState, StateLayout, StateRef, StateUpdate, OnlineBackend, BackendOptions, OpenBackend } from "./online/backend.js";
export type {
  ScalarType, CompiledColumn, CompiledSource, EventValues, CompiledWindow, AggregateFn, AggregateSource, CompiledAggregate,
  RunningOp, CompiledFeature, CompiledView, CompiledFeatureRef, CompiledService, CompiledProject,
} from "./online/compiled.js";
export {
  FeatureStore, openStore,
  type FeatureValue, type FeatureRow, type EntityRow, type StoreOptions, type ReadOptions, type PushResult, type TypedFeatureStore,
} from "./online/feature-store.js";
export type { MaterializeOptions, MaterializeResult, MaterializeProgress, OfflineEventReader, OfflineRow } from "./online/materialize.js";
export { EventBatchError, type BadEvent } from "./online/validate.js";
export { OnlineInputError } from "./online/errors.js";
export { LookupError } from "./online/feature-refs.js";
export { openBackend } from "./online/backends.js";
export { MemoryBackend, openMemoryBackend } from "./online/memory-backend.js";
export { emptyState, mergeEntityState, compareEntries, cloneState } from "./online/state.js";
export { encodePayload, decodePayload, encodeKeyPart, encodeNumber, encodeString, encodeValueKey } from "./online/encoding.js";
export { evaluateView, evaluateAggregate } from "./online/evaluate.js";
export * from "./kernels/values.js";
export * from "./kernels/aggregates.js";
export * from "./kernels/exact-sum.js";
export * from "./kernels/windows.js";
export { toEpochMs, parseTimestamp, formatTimestamp } from "./time.js";
