// @ts-check
/**
 * birdstream core with `validate: 'tolerant'` (its default): every message whose identity is
 * intact delivered typed, drift coerced or set aside and reported in aggregate.
 */
import { birdstreamCore } from './birdstream-core.mjs';

export default birdstreamCore('tolerant');
