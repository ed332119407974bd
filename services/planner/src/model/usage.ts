import { OpsError, type PayloadOf } from '@opsloop/contracts';

/** What ContextGathered records about the model's part (counts only). */
export type ModelUsage = NonNullable<PayloadOf<'ContextGathered'>['model']>;

/** A failed model run: the typed cause's code and message, and what the run cost. */
export class ModelRunError extends OpsError {
  readonly usage: ModelUsage;
  constructor(cause: OpsError, usage: ModelUsage) {
    super(cause.code, cause.message, { retryable: false });
    this.usage = usage;
  }
}
