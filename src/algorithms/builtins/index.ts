import type { Algorithm } from '../algorithm';
import { fastFedPG } from './fastFedPG';
import { fedAvgPG } from './fedAvgPG';
import { localPG } from './localPG';
import { minibatchPG } from './minibatchPG';
import { scaffold } from './scaffold';

export { fastFedPG, fedAvgPG, localPG, minibatchPG, scaffold };

/** The five built-ins, in the order results list them. */
export const BUILTIN_ALGORITHMS: readonly Algorithm[] = [fastFedPG, fedAvgPG, minibatchPG, localPG, scaffold] as Algorithm[];
