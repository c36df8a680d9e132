import { packageBuild } from '../../tsdown.shared.ts';

// The Node transport and its stand-in are entries of their own, reached through the package's
// `#node-transport` import (package.json `imports`, picked by export condition at run time), so
// the workerd and browser builds of an app never see a `node:` specifier.
export default packageBuild(
  [
    'src/index.ts',
    'src/internal.ts',
    'src/transport/node-transport.ts',
    'src/transport/node-transport-unavailable.ts',
  ],
  { deps: { neverBundle: ['#node-transport'] } },
);
