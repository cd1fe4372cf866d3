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

/**
 * Send one display_data output with several MIME types and their metadata (tslab's own `display.raw`
 * sends one type with empty metadata): e.g. a PNG with its CSS size, or HTML with a text/plain fallback.
 * Does nothing outside a kernel.
 */
export function displayBundle(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jupyter: { lastWriteDisplayData: ((content: unknown, update: boolean) => void) | null } = require('tslab/dist/jupyter');
    jupyter.lastWriteDisplayData?.({ data, metadata, transient: {} }, false);
  } catch {
    // not in a tslab kernel
  }
}
