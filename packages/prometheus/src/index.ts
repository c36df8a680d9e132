// Public API of @birdstream/prometheus. Everything not exported here is internal.

export {
  BirdstreamMetrics,
  type BirdstreamMetricsOptions,
  type ObservedEvent,
  type TrackIngestorOptions,
  type TrackStreamOptions,
} from './birdstream-metrics.js';
export { DEFAULT_PREFIX, type FamilySpec } from './families.js';
export {
  type MetricsServer,
  type ServeMetricsOptions,
  serveMetrics,
} from './serve/serve-metrics.js';
