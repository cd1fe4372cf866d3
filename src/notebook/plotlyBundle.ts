import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | null = null;

/**
 * The plotly.js bundle as text: the minified copy the build writes to dist/plotly.min.js
 * (scripts/bundle-plotly.js, 4.9 MB), or plotly.js-dist's own plotly.js (11 MB) when running from source
 * without a build. Read once per process.
 */
export function plotlyBundle(): string {
  if (cached !== null) return cached;
  const built = [join(__dirname, '..', 'plotly.min.js'), join(__dirname, '..', '..', 'dist', 'plotly.min.js')].find(existsSync);
  cached = readFileSync(built ?? require.resolve('plotly.js-dist/plotly.js'), 'utf8');
  return cached;
}
