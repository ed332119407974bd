/**
 * Just enough Kubernetes protobuf decoding for request bodies kubectl insists on sending as
 * protobuf (kubectl 1.31 `create rolebinding` / `create clusterrolebinding`). Answers are
 * always JSON; other protobuf bodies are refused with 415 so the problem is visible.
 * Field numbers are those of k8s.io/api's generated.proto.
 */
import { ApiError } from '../api/errors.ts';

type Field = [name: string, type: FieldType, repeated?: boolean];
type FieldType = 'string' | 'int' | 'bool' | 'map' | Schema;
interface Schema {
  [field: number]: Field;
}

const OWNER_REF: Schema = {
  1: ['kind', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
  6: ['controller', 'bool'],
  7: ['blockOwnerDeletion', 'bool'],
};
const OBJECT_META: Schema = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'int'],
  11: ['labels', 'map'],
  12: ['annotations', 'map'],
  13: ['ownerReferences', OWNER_REF, true],
  14: ['finalizers', 'string', true],
};
const SUBJECT: Schema = {
  1: ['kind', 'string'],
  2: ['apiGroup', 'string'],
  3: ['name', 'string'],
  4: ['namespace', 'string'],
};
const ROLE_REF: Schema = {
  1: ['apiGroup', 'string'],
  2: ['kind', 'string'],
  3: ['name', 'string'],
};
const BINDING: Schema = {
  1: ['metadata', OBJECT_META],
  2: ['subjects', SUBJECT, true],
  3: ['roleRef', ROLE_REF],
};

const SCHEMAS: Record<string, Schema> = {
  'rbac.authorization.k8s.io/v1/RoleBinding': BINDING,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': BINDING,
};

const TYPE_META: Schema = { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] };
const UNKNOWN: Schema = { 1: ['typeMeta', TYPE_META], 2: ['raw', 'string'] };

class Reader {
  pos = 0;
  readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) throw new Error('truncated varint');
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  }
  bytes(): Buffer {
    const length = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
}

function decode(buf: Buffer, schema: Schema, rawFields = false): Record<string, unknown> {
  const reader = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (reader.pos < buf.length) {
    const key = reader.varint();
    const wire = key & 7;
    const number = Math.floor(key / 8);
    let value: unknown;
    let bytes: Buffer | undefined;
    if (wire === 0) value = reader.varint();
    else if (wire === 2) bytes = reader.bytes();
    else if (wire === 1) reader.pos += 8;
    else if (wire === 5) reader.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
    const field = schema[number];
    if (!field) continue;
    const [name, type, repeated] = field;
    if (type === 'map') {
      const entry = decode(bytes!, { 1: ['key', 'string'], 2: ['value', 'string'] });
      const map = (out[name] ??= {}) as Record<string, unknown>;
      map[String(entry['key'] ?? '')] = entry['value'] ?? '';
      continue;
    }
    if (type === 'string') value = rawFields && name === 'raw' ? bytes : bytes!.toString('utf8');
    else if (type === 'bool') value = value === 1;
    else if (typeof type === 'object') value = decode(bytes!, type);
    if (repeated) ((out[name] ??= []) as unknown[]).push(value);
    else out[name] = value;
  }
  return out;
}

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Decodes a `k8s\0`-framed protobuf object of a supported kind into its JSON form. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  const magic = body.subarray(0, 4).toString('latin1');
  if (magic !== 'k8s\0')
    throw new ApiError(400, 'BadRequest', 'protobuf body without the k8s envelope');
  const unknown = decode(body.subarray(4), UNKNOWN, true);
  const typeMeta = (unknown['typeMeta'] ?? {}) as { apiVersion?: string; kind?: string };
  const schema = SCHEMAS[`${typeMeta.apiVersion}/${typeMeta.kind}`];
  if (!schema)
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `kube-sim does not decode protobuf ${typeMeta.apiVersion}/${typeMeta.kind}; send application/json`,
    );
  return {
    apiVersion: typeMeta.apiVersion,
    kind: typeMeta.kind,
    ...decode(unknown['raw'] as Buffer, schema),
  };
}
