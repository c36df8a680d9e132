import { packageBuild } from '../../tsdown.shared.ts';

export default packageBuild({
  index: 'src/index.ts',
  node: 'src/node.ts',
  hono: 'src/hono.ts',
  rx: 'src/rx.ts',
});
