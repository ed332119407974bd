import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CommonConfig, ConfigError, parseConfig } from '../src/mod.ts';

const Schema = CommonConfig.extend({ port: z.coerce.number().int().min(1).max(65535) });
const settings = [{ key: 'port', flag: 'port', env: 'OPSLOOP_PORT', help: 'port' }];

describe('parseConfig', () => {
  it('takes flags over environment variables and applies defaults', () => {
    const config = parseConfig(Schema, settings, ['--port', '9000'], { OPSLOOP_PORT: '1' });
    expect(config.port).toBe(9000);
    expect(config.natsUrl).toBe('nats://127.0.0.1:4222');
  });

  it('reads environment variables when no flag is given', () => {
    const config = parseConfig(Schema, settings, [], {
      OPSLOOP_PORT: '8081',
      NATS_URL: 'nats://x:1',
    });
    expect(config).toMatchObject({ port: 8081, natsUrl: 'nats://x:1' });
  });

  it('names the flag and variable of a bad value in one line', () => {
    expect(() => parseConfig(Schema, settings, ['--port', 'abc'], {})).toThrow(
      /invalid configuration: --port \(OPSLOOP_PORT\): /,
    );
  });

  it('refuses an unknown flag', () => {
    expect(() => parseConfig(Schema, settings, ['--prot', '1'], {})).toThrow(ConfigError);
  });
});
