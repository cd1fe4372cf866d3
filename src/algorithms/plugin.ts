/**
 * Everything an algorithm author needs, in one place (all of it is exported by the package's entry):
 * `defineAlgorithm`, the context and result types, the local loop and its helpers,
 * the clustered round, aggregation, and the log-softmax kernel. The baselines in src/baselines import only
 * from here, like a researcher's module importing from 'fedpg-lab'. docs/plugins.md documents the interface.
 */
export { type AgentRound, type Algorithm, type AlgorithmDefinition, type AlgorithmSetup, type Communication, defineAlgorithm, isAlgorithm, type Oracle, type RoundContext, type RoundResult } from './algorithm';
export { type LocalDirection, type LocalStep, localSteps, type LocalStepsOptions } from './localSteps';
export { localUpdate, type LocalUpdateOptions } from './localUpdate';
export { clusteredRound, type ClusterRounds, type Membership } from './clusteredRound';
export { checkClusterState } from './clusterState';
export { checkPenaltyStep } from './stability';
export { FAST_FEDPG_OPTIONS, fastFedPGSteps } from './builtins/fastFedPG';
export { aggregate, meanOf } from './aggregate';
export { logSoftmaxRows } from '../core/softmax';
export { DivergenceError, ValidationError } from '../core/errors';
export type { Schema, FieldSpec } from '../core/schema';
export { validateObject } from '../core/schema';
export { stepSizeAt } from './schedules';
export type { StepSizeSchedule } from './config';
