import { z } from 'zod';
import { CommonConfig, type Setting } from '@opsloop/service-kit';

type Risk = 'low' | 'medium' | 'high' | 'destructive';

/** "high=2,destructive=3": distinct approvers by highest step risk (unnamed risks keep the default). */
const ApproversByRisk = z
  .string()
  .regex(
    /^((low|medium|high|destructive)=\d{1,2})(,(low|medium|high|destructive)=\d{1,2})*$/,
    'must be like "high=2,destructive=2"',
  )
  .transform((text) => {
    const out: Record<Risk, number> = {
      low: 1,
      medium: 1,
      high: 2,
      destructive: 2,
    };
    for (const pair of text.split(',')) {
      const [risk, count] = pair.split('=') as [Risk, string];
      out[risk] = Number(count);
    }
    return out;
  })
  .refine((r) => Object.values(r).every((n) => n >= 1 && n <= 10), 'each count must be 1-10');

/** Every gateway setting, as a flag and an environment variable (flags win). */
export const GatewayConfig = CommonConfig.extend({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  users: z.string().min(1).optional(),
  web: z.string().min(1).optional(),
  dataDir: z.string().min(1).optional(),
  approvalTtlMinutes: z.coerce
    .number()
    .min(1)
    .max(24 * 60)
    .default(30),
  approvers: ApproversByRisk.prefault('high=2,destructive=2'),
  corsOrigins: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  rateLimit: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  heartbeatMs: z.coerce.number().int().min(100).max(300_000).default(15_000),
  rebuildProjection: z.boolean().default(false),
});
export type GatewayConfig = z.infer<typeof GatewayConfig>;

export const GATEWAY_SETTINGS: Setting[] = [
  {
    key: 'port',
    flag: 'port',
    env: 'OPSLOOP_GATEWAY_PORT',
    help: 'HTTP port (default 8080; 0 picks a free one)',
  },
  {
    key: 'host',
    flag: 'host',
    env: 'OPSLOOP_GATEWAY_HOST',
    help: 'address to listen on (default 127.0.0.1)',
  },
  {
    key: 'users',
    flag: 'users',
    env: 'OPSLOOP_USERS',
    help: 'users and teams YAML file (default <data-dir>/users.yaml)',
  },
  {
    key: 'web',
    flag: 'web',
    env: 'OPSLOOP_WEB_DIR',
    help: 'built console to serve at / (absent: API only)',
  },
  {
    key: 'dataDir',
    flag: 'data-dir',
    env: 'OPSLOOP_DATA_DIR',
    help: 'data directory holding users.yaml',
  },
  {
    key: 'approvalTtlMinutes',
    flag: 'approval-ttl-minutes',
    env: 'OPSLOOP_APPROVAL_TTL_MINUTES',
    help: 'how long a proposed plan can be approved and the approval used (default 30)',
  },
  {
    key: 'approvers',
    flag: 'approvers',
    env: 'OPSLOOP_APPROVERS',
    help: 'distinct approvers by highest step risk (default "high=2,destructive=2"; others 1)',
  },
  {
    key: 'corsOrigins',
    flag: 'cors-origins',
    env: 'OPSLOOP_CORS_ORIGINS',
    help: 'comma-separated origins allowed by CORS (default none: CORS off)',
  },
  {
    key: 'rateLimit',
    flag: 'rate-limit',
    env: 'OPSLOOP_RATE_LIMIT',
    help: 'requests per minute per token (default 1200)',
  },
  {
    key: 'heartbeatMs',
    flag: 'heartbeat-ms',
    env: 'OPSLOOP_SSE_HEARTBEAT_MS',
    help: 'SSE heartbeat interval (default 15000)',
  },
  {
    key: 'rebuildProjection',
    flag: 'rebuild-projection',
    env: 'OPSLOOP_REBUILD_PROJECTION',
    help: 'rebuild the operations read model from the stream at start',
    boolean: true,
  },
];
