import type { ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

/**
 * A list of child processes the test starts; after each test every one still
 * running is SIGKILLed and awaited, so no worker outlives its test.
 */
export function killAfterEach<P extends { child: ChildProcess; exited: Promise<unknown> }>(): P[] {
  const processes: P[] = [];
  afterEach(async () => {
    for (const p of processes.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }
  });
  return processes;
}
