// @ts-check
/** The runner's side of the server process: fork it and talk over IPC. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

/**
 * @typedef {object} PreparedInfo
 * @property {string} key
 * @property {string} digestsPath
 * @property {number} expectedChecksum
 * @property {number} plainBytes
 * @property {number} wireBytes
 * @property {number} writes
 * @property {number} keepAlives
 * @property {number} prepareMs
 */

/**
 * @typedef {object} ServedInfo
 * @property {string} key
 * @property {'identity' | 'gzip'} encoding what was sent
 * @property {string} acceptEncoding what the consumer asked for
 * @property {string} userAgent
 * @property {number} wireBytes
 * @property {boolean} complete
 * @property {number[] | undefined} sentAt
 */

export class ServerHandle {
  /** @param {string} workDir where the server writes the expected digests */
  static async start(workDir) {
    const child = fork(SERVER, [workDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const handle = new ServerHandle(child);
    const ready = await handle.next('ready');
    handle.baseUrl = `http://127.0.0.1:${ready.port}`;
    return handle;
  }

  /** @param {import('node:child_process').ChildProcess} child */
  constructor(child) {
    this.child = child;
    this.baseUrl = '';
    /** @type {any[]} */
    this.inbox = [];
    /** @type {((message: any) => void)[]} */
    this.waiters = [];
    child.on('message', (message) => {
      this.inbox.push(message);
      for (const wake of this.waiters.splice(0)) wake(message);
    });
    child.on('exit', (code) => {
      this.inbox.push({ type: 'exit', code });
      for (const wake of this.waiters.splice(0)) wake(undefined);
    });
  }

  /**
   * The next message of `type` (optionally for `key`), or undefined after `timeoutMs`.
   * @param {string} type
   * @param {string} [key]
   * @param {number} [timeoutMs]
   * @returns {Promise<any>}
   */
  async next(type, key, timeoutMs = 600_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex(
        (m) =>
          m.type === 'error' ||
          m.type === 'exit' ||
          (m.type === type && (key === undefined || m.key === key)),
      );
      if (index !== -1) {
        const [message] = this.inbox.splice(index, 1);
        if (message.type === 'error') throw new Error(`server: ${message.message}`);
        if (message.type === 'exit') throw new Error(`server exited (${message.code})`);
        return message;
      }
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
  }

  /**
   * @param {{ key: string, count: number, seed: number, chunking: string, encoding: string }} spec
   * @returns {Promise<PreparedInfo>}
   */
  async prepare(spec) {
    this.child.send({ type: 'prepare', ...spec });
    return this.next('prepared', spec.key);
  }

  /**
   * @param {string} key
   * @param {number} [paceRate] messages per second
   */
  async arm(key, paceRate) {
    this.inbox = this.inbox.filter((m) => m.type !== 'served');
    this.child.send({ type: 'arm', key, paceRate });
    await this.next('armed', key);
  }

  /**
   * What the server sent for the last armed run, once the connection closed.
   * @param {string} key
   * @returns {Promise<ServedInfo | undefined>}
   */
  served(key) {
    return this.next('served', key, 3000);
  }

  /** @param {string} key */
  drop(key) {
    this.child.send({ type: 'drop', key });
  }

  async stop() {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'exit' });
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
