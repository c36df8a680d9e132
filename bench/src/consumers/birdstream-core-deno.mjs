// @ts-check
/** birdstream core with validate 'off', run by Deno (its fetch transport). */
export { default } from './birdstream-core.mjs';
