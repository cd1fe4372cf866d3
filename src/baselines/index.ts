import { registerAlgorithm } from '../algorithms/plugin';
import { fedNPG } from './fedNPG';
import { fedSVRPGM } from './fedSVRPGM';

export { fedNPG, fedSVRPGM };
export { FEDNPG_MIXINGS, mixingMatrix } from './mixing';

// The two baselines written against the public algorithm interface, registered by name for runs and sweeps.
registerAlgorithm(fedNPG);
registerAlgorithm(fedSVRPGM);
