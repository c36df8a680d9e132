import { packageBuild } from '../../tsdown.shared.ts';

// The demo is a program, not a library: no type declarations.
export default packageBuild({ demo: 'src/demo.ts' }, { dts: false });
