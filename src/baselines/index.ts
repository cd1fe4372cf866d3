import { registerAlgorithm } from '../algorithms/plugin';
import { cfl } from './cfl';
import { ditto } from './ditto';
import { fedNPG } from './fedNPG';
import { ifca } from './ifca';
import { fedSVRPGM } from './fedSVRPGM';
import { localMomentumPG } from './localMomentumPG';
import { sharedPersonal } from './sharedPersonal';

export { cfl, ditto, fedNPG, fedSVRPGM, ifca, localMomentumPG, sharedPersonal };
export { momentumDirection } from './fedSVRPGM';
export { personalOffsetStep, SHARED_PERSONAL_OPTIONS } from './sharedPersonal';
export { bestBipartition, type Bipartition, cosineSimilarity } from './split';
export { argmaxFirst, CLUSTER_INITS, cosineDistance, farthestPointSeeds, softWeights } from './ifca';
export { dittoDirection, PERSONALIZATION_SCHEMA, personalizationOf } from './ditto';
export { decentralisedStepBound, FEDNPG_MIXINGS, mixingMatrix, mixingSecondEigenvalue } from './mixing';

// The baselines written against the public algorithm interface, registered by name for runs and sweeps.
registerAlgorithm(fedNPG);
registerAlgorithm(fedSVRPGM);
registerAlgorithm(localMomentumPG);
// Personalised and clustered multi-task algorithms (docs/personalization.md, docs/clustering.md).
registerAlgorithm(ditto);
registerAlgorithm(sharedPersonal);
registerAlgorithm(ifca);
registerAlgorithm(cfl);
