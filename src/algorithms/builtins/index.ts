import type { Algorithm } from '../algorithm';
import { fastFedPG } from './fastFedPG';
import { fedAvgPG } from './fedAvgPG';
import { localPG } from './localPG';
import { minibatchPG } from './minibatchPG';
import { scaffold } from './scaffold';

export { fastFedPG, fedAvgPG, localPG, minibatchPG, scaffold };

/** The five built-ins, in the order results list them: the one list of their names. */
const BUILTINS = [fastFedPG, fedAvgPG, minibatchPG, localPG, scaffold] as const;

/** The built-ins' names, derived from their values ('fast-fedpg', 'fedavg-pg', 'minibatch-pg', 'local-pg', 'scaffold'). */
export type AlgorithmName = (typeof BUILTINS)[number]['name'];

/** The five built-in algorithm values. */
export const BUILTIN_ALGORITHMS: readonly Algorithm[] = BUILTINS as readonly Algorithm<any>[] as readonly Algorithm[];

/** The built-ins' names (Fast-FedPG and its baselines, docs/paper.md); any registered name or algorithm value is accepted too. */
export const ALGORITHMS: readonly AlgorithmName[] = BUILTINS.map((a) => a.name);
