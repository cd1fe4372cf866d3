import type { Display } from 'tslab';

/**
 * tslab's display helpers when this process is a tslab kernel, otherwise null (scripts, tests, a plain
 * REPL). tslab's `display` throws "Not ready" outside a kernel; whether a kernel has connected is read from
 * tslab's own module state (the one that `display` itself checks).
 */
export function tslabDisplay(): { display: Display; newDisplay: () => Display } | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jupyter: { lastWriteDisplayData: unknown } = require('tslab/dist/jupyter');
    if (jupyter.lastWriteDisplayData == null) return null;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tslab: typeof import('tslab') = require('tslab');
    return { display: tslab.display, newDisplay: tslab.newDisplay };
  } catch {
    return null;
  }
}
