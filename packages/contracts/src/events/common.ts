import { z } from 'zod';

/**
 * Building blocks shared by the event payload schemas. Free text is size-capped
 * everywhere: much of it comes from a model or from cluster data, and an event must stay
 * well below the JetStream message size.
 */
export const text = (max: number) => z.string().min(1).max(max);

/** A user or service identity as the gateway authenticated it. */
export const Principal = z.string().min(1).max(256);

export const Timestamp = z.iso.datetime({ offset: true });

/** How a failure crosses a service boundary: a stable code, a message, whether to retry. */
export const ErrorInfo = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{2,63}$/, 'must be an UPPER_SNAKE error code'),
  message: text(2000),
  retryable: z.boolean(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const StepIndex = z.number().int().min(0).max(49);
export const EventId = z.string().min(1).max(128);
