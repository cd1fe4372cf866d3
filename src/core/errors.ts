/**
 * Typed errors. Every public entry point validates its arguments and throws one of these with a message
 * that names the argument, the index and the offending value (docs/api.md, conventions).
 */

/** Base class of every error fedpg-lab throws on purpose. */
export class FedPGError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An argument, config field or file field is malformed. `field` is its path, e.g. `rewards[2][17]`. */
export class ValidationError extends FedPGError {
  readonly field: string;
  readonly value: unknown;
  constructor(field: string, value: unknown, message: string) {
    super(message);
    this.field = field;
    this.value = value;
  }
}

/** A run produced a non-finite θ or J; the message names the round, the agent and the step size. */
export class DivergenceError extends FedPGError {}
