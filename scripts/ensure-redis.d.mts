/** The absolute path of `name` on PATH, or undefined. */
export function onPath(name: string): string | undefined;
/** The path of redis-server, installed with apt-get when possible; throws a one-line Error otherwise. */
export function ensureRedis(options?: { log?: (line: string) => void }): string;
