import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';

export type SwitchState =
  | { engaged: false }
  | { engaged: true; reason: 'kill_switch_engaged' | 'kill_switch_unreadable'; message: string };

/**
 * The global kill switch: a key in a JetStream KV bucket. Any value in the key stops all
 * execution; deleting (or purging) the key clears it. Fail closed: when the key cannot be
 * read (bucket gone, server away, permission denied, no answer in time) the switch counts
 * as engaged. The bucket is created when the executor starts, never later, so a bucket
 * that disappears while running stays "unreadable" instead of silently reading as clear.
 */
export class KillSwitch {
  private readonly kv: KV;
  readonly bucket: string;
  readonly key: string;
  private readonly timeoutMs: number;

  private constructor(kv: KV, bucket: string, key: string, timeoutMs: number) {
    this.kv = kv;
    this.bucket = bucket;
    this.key = key;
    this.timeoutMs = timeoutMs;
  }

  static async open(
    js: JetStreamClient,
    bucket: string,
    key: string,
    timeoutMs = 2000,
  ): Promise<KillSwitch> {
    const kvm = new Kvm(js);
    let kv: KV;
    try {
      kv = await kvm.open(bucket);
      await kv.status();
    } catch {
      kv = await kvm.create(bucket, { history: 10 });
    }
    return new KillSwitch(kv, bucket, key, timeoutMs);
  }

  get where(): string {
    return `JetStream KV ${this.bucket}/${this.key}`;
  }

  async read(): Promise<SwitchState> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer in ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      const entry = await Promise.race([this.kv.get(this.key), timeout]);
      if (entry === null || entry.operation !== 'PUT') {
        // A missing key reads as null even when the whole bucket is gone: make sure it is not.
        await Promise.race([this.kv.status(), timeout]);
        return { engaged: false };
      }
      const value = entry.string().trim().slice(0, 300) || '(empty value)';
      return {
        engaged: true,
        reason: 'kill_switch_engaged',
        message: `the kill switch (${this.where}) is set: ${value}`,
      };
    } catch (error) {
      return {
        engaged: true,
        reason: 'kill_switch_unreadable',
        message:
          `the kill switch (${this.where}) cannot be read (${(error as Error).message.slice(0, 300)}); ` +
          'execution fails closed until it can be read and is clear',
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
