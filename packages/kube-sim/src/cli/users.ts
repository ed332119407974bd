/**
 * `opsloop sim --users FILE`: token users for a launcher, as YAML or JSON, either a list or
 * `{users: [...]}` of `{username, groups?, token?}`. A missing token is generated; the
 * launcher then reads it from the kubeconfig `--kubeconfig-dir` writes for that user.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { SimLoadError } from '../loader/yaml.ts';
import type { UserSpec } from '../server/auth.ts';

const userSchema = z.strictObject({
  username: z
    .string()
    .min(1)
    .regex(/^[^\s/]+$/, 'a username has no spaces or slashes (it names a kubeconfig file)'),
  groups: z.array(z.string().min(1)).default([]),
  token: z.string().min(16, 'a token needs at least 16 characters').optional(),
});
const fileSchema = z.union([z.array(userSchema), z.strictObject({ users: z.array(userSchema) })]);

export function readUsersFile(path: string): UserSpec[] {
  let data: unknown;
  try {
    data = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SimLoadError(
      `${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  const result = fileSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const at = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new SimLoadError(`${path}: ${at}${issue.message}`);
  }
  const users = Array.isArray(result.data) ? result.data : result.data.users;
  const names = new Set<string>(['admin']);
  return users.map((u) => {
    if (names.has(u.username))
      throw new SimLoadError(`${path}: user "${u.username}" is defined twice (admin is built in)`);
    names.add(u.username);
    return {
      username: u.username,
      groups: u.groups,
      token: u.token ?? randomBytes(24).toString('hex'),
    };
  });
}
