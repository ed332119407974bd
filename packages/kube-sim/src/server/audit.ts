/** Audit log of every mutating request, in memory and optionally as JSON lines in a file. */
import { appendFileSync } from 'node:fs';

export interface AuditEntry {
  time: string;
  user: string;
  groups: string[];
  impersonatedBy?: string;
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  patchType?: string;
  fieldManager?: string;
  dryRun: boolean;
  responseCode: number;
}

export const MUTATING_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export class AuditLog {
  private list: AuditEntry[] = [];
  private readonly file: string | undefined;
  private readonly limit: number;

  constructor(options: { file?: string; limit?: number } = {}) {
    this.file = options.file;
    this.limit = options.limit ?? 100_000;
  }

  record(entry: AuditEntry): void {
    this.list.push(entry);
    if (this.list.length > this.limit) this.list.splice(0, this.list.length - this.limit);
    if (this.file) appendFileSync(this.file, JSON.stringify(entry) + '\n');
  }

  entries(): AuditEntry[] {
    return [...this.list];
  }

  clear(): void {
    this.list = [];
  }
}
