import type { Algorithm } from '../algorithms/algorithm';
import { readJSONFile } from '../mdp/io';
import { type ExperimentSpec, parseExperiment } from './spec';
import { validateExperiment } from './validate';

/**
 * Read an experiment file, parse it and validate it (experiments/validate.ts; `algorithms` are algorithm
 * values it may use beside the package's and its modules'); errors name the file and the field.
 */
export function readExperiment(path: string, options: { algorithms?: readonly Algorithm<any>[] } = {}): ExperimentSpec {
  return validateExperiment(parseExperiment(readJSONFile(path, 'experiment file'), path), { ...options, source: path });
}
