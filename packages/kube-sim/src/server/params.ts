/** Query parameters shared by the write handlers (dryRun, fieldManager, force, …). */
import { badRequest, ApiError } from '../api/errors.ts';
import type { PatchType } from '../api/types.ts';
import type { Call } from './context.ts';

export function dryRunOf(call: Call): boolean {
  const values = call.query.getAll('dryRun');
  for (const v of values)
    if (v !== 'All') throw badRequest(`Invalid dry run value "${v}", supported values are: All`);
  call.audit.dryRun = values.length > 0;
  return call.audit.dryRun;
}

/** The fieldManager parameter, or the name the API server derives from the User-Agent. */
export function fieldManagerOf(call: Call, required = false): string {
  const given = call.query.get('fieldManager');
  if (given) return (call.audit.fieldManager = given);
  if (required)
    throw new ApiError(
      422,
      'Invalid',
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    );
  const agent = call.req.headers['user-agent'] ?? 'unknown';
  return (call.audit.fieldManager = agent.split('/')[0] || 'unknown');
}

export function patchTypeOf(contentType: string): PatchType {
  const type = contentType.split(';')[0]!.trim();
  switch (type) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+json':
      return 'apply';
    default:
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
}

export function intParam(call: Call, name: string): number | undefined {
  const raw = call.query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw badRequest(`invalid ${name}: ${raw}`);
  return n;
}

export function wantsTable(call: Call): boolean {
  return /as=Table/.test(call.req.headers.accept ?? '');
}
