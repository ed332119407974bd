/**
 * Errors raised while reading the simulation's own documents (ImageBehavior, Scenario) and
 * jsonpath templates. Each carries a stable code so callers (the CLI, tests, the lead's
 * wiring) can tell "your file is wrong" from a bug, and the message names the file, the
 * document and the field path so the author knows exactly what to change.
 */
export const SimErrorCode = {
  InvalidImageBehavior: 'SIM_ERR_INVALID_IMAGE_BEHAVIOR',
  InvalidScenario: 'SIM_ERR_INVALID_SCENARIO',
  ScenarioNotFound: 'SIM_ERR_SCENARIO_NOT_FOUND',
  InvalidJsonPath: 'SIM_ERR_INVALID_JSONPATH',
  InvalidImageReference: 'SIM_ERR_INVALID_IMAGE_REFERENCE',
} as const;
export type SimErrorCode = (typeof SimErrorCode)[keyof typeof SimErrorCode];

export class SimError extends Error {
  readonly code: SimErrorCode;
  readonly retryable = false;
  constructor(code: SimErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SimError';
    this.code = code;
  }
}

/** Zod issue paths as authors write them: `spec.listen[0].port`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(document)' : out;
}
