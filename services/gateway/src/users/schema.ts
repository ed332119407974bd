import { z } from 'zod';

/**
 * The users and teams file. Roles: viewer (read), requester (read, request), approver
 * (read, approve or reject), admin (all of them). A team owns namespaces by name or glob
 * ("shop-*", "*"); a user sees and requests operations in their teams' namespaces only.
 */
export const Role = z.enum(['viewer', 'requester', 'approver', 'admin']);
export type Role = z.infer<typeof Role>;

const Name = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9._@-]{0,62}[a-z0-9])?$/,
    'must be 1-64 lowercase letters, digits, ".", "_", "@", "-"',
  );
const NamespacePattern = z
  .string()
  .regex(
    /^(\*|[a-z0-9*]([-a-z0-9*]{0,61}[a-z0-9*])?)$/,
    'must be a namespace name or a glob like "shop-*"',
  );
const KubeName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9@._:-]+$/, 'must be a Kubernetes user or group name');

/** `scrypt$N$r$p$<salt base64url>$<hash base64url>`, written by hashToken(). */
export const TokenHash = z
  .string()
  .regex(
    /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{32,}$/,
    'must be a scrypt hash written by hashToken (scrypt$N$r$p$salt$hash)',
  );

export const Team = z.strictObject({
  name: Name,
  namespaces: z.array(NamespacePattern).min(1).max(200),
  /** Values of the OIDC groups claim that mean membership in this team (default: the team name). */
  oidcGroups: z.array(z.string().min(1).max(256)).max(50).optional(),
});

/** Names the services write events as: a user by one of them would pass as a service. */
const RESERVED = new Set(['planner', 'executor', 'verifier', 'gateway']);

export const User = z.strictObject({
  name: Name.refine((n) => !RESERVED.has(n), 'is reserved for an Opsloop service'),
  teams: z.array(Name).min(1).max(50),
  roles: z.array(Role).min(1).max(4),
  /** Scripts and bots: may read and request, never approve, whatever their roles say. */
  service: z.boolean().default(false),
  tokenHash: TokenHash.optional(),
  /** The `sub` claim of this user's OIDC tokens. */
  oidcSubject: z.string().min(1).max(256).optional(),
  /** Whom Kubernetes RBAC is asked about (SubjectAccessReview) when this user approves. */
  kubernetes: z
    .strictObject({ user: KubeName, groups: z.array(KubeName).max(50).default([]) })
    .optional(),
});

export const Oidc = z.strictObject({
  issuer: z.url(),
  audience: z.string().min(1).max(256),
  jwksUrl: z.url(),
  groupsClaim: z.string().min(1).max(128).default('groups'),
  /** Roles given to OIDC users with no user entry, by group; none matched → viewer. */
  groupRoles: z.record(z.string().min(1).max(256), z.array(Role).min(1)).default({}),
  /**
   * The console's sign-in button (authorization code + PKCE, a public client): the client id
   * (default: the audience, so the ID token's `aud` is what the gateway accepts), and the
   * endpoints (default: read from the issuer's /.well-known/openid-configuration).
   */
  clientId: z.string().min(1).max(256).optional(),
  authorizationUrl: z.url().optional(),
  tokenUrl: z.url().optional(),
  /** Default "openid profile email". */
  scopes: z.string().min(1).max(512).optional(),
});

export const UsersFile = z
  .strictObject({
    teams: z.array(Team).min(1).max(500),
    users: z.array(User).max(10_000).default([]),
    oidc: Oidc.optional(),
  })
  .superRefine((file, ctx) => {
    const teams = new Set<string>();
    file.teams.forEach((team, i) => {
      if (teams.has(team.name))
        ctx.addIssue({
          code: 'custom',
          path: ['teams', i, 'name'],
          message: `duplicate team "${team.name}"`,
        });
      teams.add(team.name);
    });
    const users = new Set<string>();
    file.users.forEach((user, i) => {
      if (users.has(user.name))
        ctx.addIssue({
          code: 'custom',
          path: ['users', i, 'name'],
          message: `duplicate user "${user.name}"`,
        });
      users.add(user.name);
      user.teams.forEach((team, j) => {
        if (!teams.has(team))
          ctx.addIssue({
            code: 'custom',
            path: ['users', i, 'teams', j],
            message: `unknown team "${team}"`,
          });
      });
      if (user.tokenHash === undefined && user.oidcSubject === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['users', i],
          message: 'needs a tokenHash or an oidcSubject to sign in',
        });
    });
  });
export type UsersFile = z.infer<typeof UsersFile>;
export type UserEntry = z.infer<typeof User>;
export type TeamEntry = z.infer<typeof Team>;
