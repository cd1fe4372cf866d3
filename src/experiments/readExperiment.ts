import { readJSONFile } from '../mdp/io';
import { type ExperimentSpec, parseExperiment } from './spec';

/** Read and validate an experiment file; errors name the file and the field. */
export function readExperiment(path: string): ExperimentSpec {
  return parseExperiment(readJSONFile(path, 'experiment file'), path);
}
