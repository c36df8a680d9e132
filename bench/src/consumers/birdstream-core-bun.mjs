// @ts-check
/** birdstream core with validate 'off', run by Bun (its fetch transport). */
export { default } from './birdstream-core.mjs';
