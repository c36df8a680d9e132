import type { Emulator } from '../../src/index.js';

/** Waits until the emulator's clock reads at least `time` (emulated epoch ms). */
export async function untilEmulated(emu: Emulator, time: number): Promise<void> {
  while (emu.clock.now() < time) {
    const left = time - emu.clock.now();
    await new Promise<void>((resolve) => emu.clock.setTimeout(resolve, Math.max(1, left)));
  }
}

/** The timeline sequence number encoded in the low 12 bits of a post id. */
export function sequenceOf(id: string): number {
  return Number(BigInt(id) & 0xfffn);
}
