// @ts-check
/** birdstream core with `validate: 'strict'` (its default): every message checked by the zod schemas. */
import { birdstreamCore } from './birdstream-core.mjs';

export default birdstreamCore('strict');
