import { readFileSync, writeFileSync } from 'node:fs';
import { FedPGError } from '../core/errors';
import { parseStrictJSON } from '../core/strictJSON';
import { problemFromJSON, problemToJSON } from './json';
import type { FederatedProblem } from './problem';

// The one place mdp/ touches files: thin wrappers over the pure (de)serialisers in json.ts, because
// loading a problem file is what a notebook does first. Everything else here is pure.

/** The parsed JSON of a file, strictly (core/strictJSON.ts: a repeated key is refused); errors name the file and say whether it could not be read or parsed. */
export function readJSONFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FedPGError(`${path}: cannot read ${what} (${(e as Error).message})`);
  }
  return parseStrictJSON(text, path);
}

/** Read and validate a problem file; errors name the file and the field. */
export function loadProblem(path: string): FederatedProblem {
  return problemFromJSON(readJSONFile(path, 'problem file'), path);
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
