import type { Algorithm } from '../algorithms/plugin';
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

/**
 * The baselines written against the plug-in interface, in the order results list them: FedNPG,
 * FedSVRPG-M and the per-agent local-momentum PG, then the personalised and clustered multi-task algorithms (docs/personalization.md,
 * docs/clustering.md). runs/registry.ts lists them with the built-ins; importing this module registers nothing.
 */
export const BASELINE_ALGORITHMS: readonly Algorithm[] = [fedNPG, fedSVRPGM, localMomentumPG, ditto, sharedPersonal, ifca, cfl] as Algorithm[];
