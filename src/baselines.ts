/**
 * `fedpg-lab/baselines`: every export of src/baselines/, the algorithms written against the plug-in
 * interface (FedNPG, FedSVRPG-M-style momentum, Ditto, the shared-plus-personal split, IFCA, CFL) and their
 * pieces (mixing matrices, personal directions, cluster seeds and splits). They are registered by name in
 * every registry (PACKAGE_ALGORITHMS); import their values from here. Each name is documented where it is
 * defined (TSDoc); docs/api.md describes the entry, docs/personalization.md and docs/clustering.md the methods.
 */

export * from './baselines/cfl';
export * from './baselines/ditto';
export * from './baselines/fedNPG';
export * from './baselines/fedSVRPGM';
export * from './baselines/ifca';
export * from './baselines/index';
export * from './baselines/mixing';
export * from './baselines/sharedPersonal';
export * from './baselines/split';
export * from './baselines/localMomentumPG';
