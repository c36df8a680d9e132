// Core's tests wait for a stream to reach a state with the shared, generously bounded helper.
export { until } from '@birdstream/test-utils';
