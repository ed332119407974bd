import { readFileSync } from 'node:fs';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { ConfigError } from '@opsloop/service-kit';
import { UsersFile } from './schema.ts';

/**
 * Reads the users file. Anything wrong stops the gateway at start with one line naming the
 * file, the line and the field ("users.yaml:12: users[1].roles[0]: Invalid option ...").
 */
export function loadUsersFile(path: string): UsersFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read users file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  return parseUsersFile(text, path);
}

export function parseUsersFile(text: string, path: string): UsersFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) {
    const line = lines.linePos(yamlError.pos[0]).line;
    throw new ConfigError(`${path}:${line}: invalid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const parsed = UsersFile.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length === 0 ? '(top level)' : formatPath(issue.path);
  const line = lineOf(doc, issue.path, lines);
  throw new ConfigError(`${path}:${line}: ${field}: ${issue.message}`);
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** The line of the deepest node of `path` that exists (a missing field: its parent's line). */
function lineOf(doc: Document, path: PropertyKey[], lines: LineCounter): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range !== undefined && node.range !== null) {
      return lines.linePos(node.range[0]).line;
    }
  }
  return 1;
}
