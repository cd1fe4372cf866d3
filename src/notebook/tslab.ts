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
 * Whether this process is a tslab kernel, decided without loading tslab: a kernel has already loaded
 * tslab's jupyter module (and connected it), so a plain `require('fedpg-lab')` loads no optional package.
 */
export function inTslabKernel(): boolean {
  const key = Object.keys(require.cache).find((k) => /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(k));
  return key !== undefined && (require.cache[key]?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData != null;
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
