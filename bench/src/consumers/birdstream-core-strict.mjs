// @ts-check
/** birdstream core with `validate: 'strict'`: every message checked by the zod schemas, a mismatch skipped. */
import { birdstreamCore } from './birdstream-core.mjs';

export default birdstreamCore('strict');
