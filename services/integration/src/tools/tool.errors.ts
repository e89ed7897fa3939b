/**
 * An operation declined, for a reason the agent can act on (tau-bench's "Error: order not found",
 * a missing confirmation, a bad argument). It goes back as the result's error, never as a crash.
 */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Refusal';
  }
}
