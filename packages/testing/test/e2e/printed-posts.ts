import type { ChildProcess } from 'node:child_process';

/** A line the README quick start prints per post: `<created_at> <username> <text>`. */
const PRINTED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z [A-Za-z0-9_]{1,15} /gm;

/**
 * Resolves with the output once the quick start running in `child` printed
 * `count` posts; rejects with the output when it exits first or after
 * `timeoutMs` (a bound for a broken run, generous for a busy machine).
 */
export function printedPosts(
  child: ChildProcess,
  count: number,
  timeoutMs: number,
): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the quick start printed too little:\n${stdout}\n${stderr}`)),
      timeoutMs,
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if ((stdout.match(PRINTED) ?? []).length >= count) {
        clearTimeout(timer);
        resolve({ stdout, stderr });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the quick start exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
}
