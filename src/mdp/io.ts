import { readFileSync, writeFileSync } from 'node:fs';
import { FedPGError } from '../core/errors';
import { problemFromJSON, problemToJSON } from './json';
import type { FederatedProblem } from './problem';

// The one place mdp/ touches files: thin wrappers over the pure (de)serialisers in json.ts, because
// loading a problem file is what a notebook does first. Everything else here is pure.

/** Read and validate a problem file; errors name the file and the field. */
export function loadProblem(path: string): FederatedProblem {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FedPGError(`${path}: cannot read problem file (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FedPGError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return problemFromJSON(json, path);
}

/** Write a problem file (format fedpg-lab/problem@1, data/README.md). */
export function saveProblem(problem: FederatedProblem, path: string, options: { dense?: boolean } = {}): void {
  writeFileSync(path, `${compactJSON(problemToJSON(problem, options))}\n`);
}

/** Indented JSON with every array of plain numbers or strings kept on one line (readable tables). */
export function compactJSON(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/\[\s+((?:-?[\d.eE+-]+|"[^"\n]*")(?:,\s+(?:-?[\d.eE+-]+|"[^"\n]*"))*)\s+\]/g, (_, inner: string) =>
    `[${inner.split(/,\s+/).join(', ')}]`,
  );
}
