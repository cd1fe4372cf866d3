import { registerAlgorithm } from '../algorithms/plugin';
import { cfl } from './cfl';
import { ditto } from './ditto';
import { fedNPG } from './fedNPG';
import { ifca } from './ifca';
import { fedSVRPGM } from './fedSVRPGM';
import { sharedPersonal } from './sharedPersonal';

export { cfl, ditto, fedNPG, fedSVRPGM, ifca, sharedPersonal };
export { SHARED_PERSONAL_OPTIONS, sharedPersonalStep } from './sharedPersonal';
export { bestBipartition, type Bipartition, cosineSimilarity } from './split';
export { type ClusterRounds, clusterRounds, softClusterRounds } from './clusterRound';
export { argmaxFirst, CLUSTER_INITS, cosineDistance, farthestPointSeeds, softWeights } from './ifca';
export { dittoPersonalStep, PERSONALIZATION_SCHEMA, personalizationOf } from './ditto';
export { FEDNPG_MIXINGS, mixingMatrix } from './mixing';

// The two baselines written against the public algorithm interface, registered by name for runs and sweeps.
registerAlgorithm(fedNPG);
registerAlgorithm(fedSVRPGM);
// Personalised and clustered multi-task algorithms (docs/personalization.md, docs/clustering.md).
registerAlgorithm(ditto);
registerAlgorithm(sharedPersonal);
registerAlgorithm(ifca);
registerAlgorithm(cfl);
