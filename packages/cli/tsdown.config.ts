import { packageBuild } from '../../tsdown.shared.ts';

// `src/bin.ts` is the executable that `bin/birdstream.js` loads; `src/index.ts` is the library (`run`).
export default packageBuild(['src/index.ts', 'src/bin.ts']);
