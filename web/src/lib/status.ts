import type { Status } from './types.ts';

/** How each status reads and which colour family its chip uses. */
export const STATUS_INFO: Record<
  Status,
  { label: string; tone: 'ok' | 'warn' | 'bad' | 'info' | '' }
> = {
  requested: { label: 'Requested', tone: '' },
  planning: { label: 'Planning', tone: 'info' },
  awaiting_approval: { label: 'Awaiting approval', tone: 'warn' },
  approved: { label: 'Approved', tone: 'info' },
  executing: { label: 'Executing', tone: 'info' },
  verifying: { label: 'Verifying', tone: 'info' },
  succeeded: { label: 'Succeeded', tone: 'ok' },
  failed: { label: 'Failed', tone: 'bad' },
  rejected: { label: 'Rejected', tone: 'bad' },
  invalidated: { label: 'Invalidated', tone: 'bad' },
  answered: { label: 'Answered', tone: 'ok' },
};

export function statusInfo(status: string): { label: string; tone: string } {
  return STATUS_INFO[status as Status] ?? { label: status, tone: '' };
}

/** Statuses in which nothing more will happen: live views stop expecting events. */
export const FINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'rejected', 'answered']);

export const RISK_TONE: Record<string, string> = {
  low: 'ok',
  medium: 'warn',
  high: 'bad',
  destructive: 'bad',
};
