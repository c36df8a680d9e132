export { fixturePath, readFixtureJson, readFixtureText } from './fixtures.js';
export { flushMicrotasks, ManualClock } from './manual-clock.js';
