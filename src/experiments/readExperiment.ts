import { readFileSync } from 'node:fs';
import { FedPGError } from '../core/errors';
import { type ExperimentSpec, parseExperiment } from './spec';

/** Read and validate an experiment file; errors name the file and the field. */
export function readExperiment(path: string): ExperimentSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FedPGError(`${path}: cannot read experiment file (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FedPGError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return parseExperiment(json, path);
}
