/**
 * The swagger 2.0 document in the protobuf encoding of gnostic's openapi_v2.Document, which
 * is what kubectl asks /openapi/v2 for (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`).
 * kubectl 1.27 and 1.28 read only this form (for explain, validation and the
 * fieldValidation support check). Only the parts of the schema our documents use are
 * encoded; vendor extensions travel as YAML text (JSON is valid YAML), as gnostic does.
 */

type Json = Record<string, unknown>;

/** Minimal protobuf writer: varints, length-delimited fields, nested messages. */
class Message {
  private readonly parts: Uint8Array[] = [];

  private varint(value: number): void {
    const bytes: number[] = [];
    let v = value;
    while (v > 127) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
    this.parts.push(Uint8Array.from(bytes));
  }

  private tag(field: number, wire: 0 | 2): void {
    this.varint(field * 8 + wire);
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2);
    this.varint(data.length);
    this.parts.push(data);
    return this;
  }

  string(field: number, value: unknown): this {
    if (typeof value === 'string' && value !== '') this.bytes(field, Buffer.from(value, 'utf8'));
    return this;
  }

  strings(field: number, values: unknown): this {
    if (Array.isArray(values))
      for (const v of values) if (typeof v === 'string') this.bytes(field, Buffer.from(v, 'utf8'));
    return this;
  }

  bool(field: number, value: unknown): this {
    if (value === true) {
      this.tag(field, 0);
      this.varint(1);
    }
    return this;
  }

  message(field: number, child: Message | undefined): this {
    if (child !== undefined) this.bytes(field, child.finish());
    return this;
  }

  finish(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : {};
}

/** x-… keys as repeated NamedAny { name = 1; value = Any { yaml = 2 } }. */
function vendorExtensions(msg: Message, field: number, source: Json): void {
  for (const [key, value] of Object.entries(source)) {
    if (!key.startsWith('x-')) continue;
    msg.message(
      field,
      new Message().string(1, key).message(2, new Message().string(2, JSON.stringify(value))),
    );
  }
}

function schema(s: Json): Message {
  const msg = new Message().string(1, s.$ref).string(2, s.format).string(4, s.description);
  if (s.uniqueItems === true) msg.bool(16, true);
  msg.strings(19, s.required);
  if (s.additionalProperties !== undefined) {
    const item = new Message();
    if (typeof s.additionalProperties === 'boolean') item.bool(2, s.additionalProperties);
    else item.message(1, schema(obj(s.additionalProperties)));
    msg.message(21, item);
  }
  if (typeof s.type === 'string') msg.message(22, new Message().string(1, s.type));
  if (s.items !== undefined) msg.message(23, new Message().message(1, schema(obj(s.items))));
  if (Array.isArray(s.allOf)) for (const part of s.allOf) msg.message(24, schema(obj(part)));
  if (s.properties !== undefined) {
    const props = new Message();
    for (const [name, value] of Object.entries(obj(s.properties))) {
      props.message(1, new Message().string(1, name).message(2, schema(obj(value))));
    }
    msg.message(25, props);
  }
  vendorExtensions(msg, 31, s);
  return msg;
}

function parameter(p: Json): Message {
  if (p.in === 'body') {
    const body = new Message()
      .string(1, p.description)
      .string(2, p.name)
      .string(3, p.in)
      .bool(4, p.required);
    body.message(5, schema(obj(p.schema)));
    return new Message().message(1, new Message().message(1, body));
  }
  // Query and path sub-schemas differ only in field numbers after `name`.
  const query = p.in === 'query';
  const sub = new Message()
    .bool(1, p.required)
    .string(2, p.in)
    .string(3, p.description)
    .string(4, p.name);
  sub.string(query ? 6 : 5, p.type).bool(query ? 20 : 19, p.uniqueItems);
  const nonBody = new Message().message(query ? 3 : 4, sub);
  return new Message().message(1, new Message().message(2, nonBody));
}

function operation(op: Json): Message {
  const msg = new Message().strings(1, op.tags).string(3, op.description).string(5, op.operationId);
  msg.strings(6, op.produces).strings(7, op.consumes);
  if (Array.isArray(op.parameters))
    for (const p of op.parameters) msg.message(8, parameter(obj(p)));
  const responses = new Message();
  for (const [code, response] of Object.entries(obj(op.responses))) {
    const r = obj(response);
    const body = new Message().string(1, r.description);
    if (r.schema !== undefined) body.message(2, new Message().message(1, schema(obj(r.schema))));
    responses.message(1, new Message().string(1, code).message(2, new Message().message(1, body)));
  }
  msg.message(9, responses);
  vendorExtensions(msg, 13, op);
  return msg;
}

const PATH_OPERATIONS: [string, number][] = [
  ['get', 2],
  ['put', 3],
  ['post', 4],
  ['delete', 5],
  ['patch', 8],
];

export function encodeSwaggerDocument(doc: Json): Uint8Array {
  const info = obj(doc.info);
  const msg = new Message()
    .string(1, doc.swagger)
    .message(2, new Message().string(1, info.title).string(2, info.version));
  const paths = new Message();
  for (const [path, item] of Object.entries(obj(doc.paths))) {
    const i = obj(item);
    const pathItem = new Message();
    for (const [verb, field] of PATH_OPERATIONS)
      if (i[verb] !== undefined) pathItem.message(field, operation(obj(i[verb])));
    if (Array.isArray(i.parameters))
      for (const p of i.parameters) pathItem.message(9, parameter(obj(p)));
    paths.message(2, new Message().string(1, path).message(2, pathItem));
  }
  msg.message(8, paths);
  const definitions = new Message();
  for (const [name, value] of Object.entries(obj(doc.definitions))) {
    definitions.message(1, new Message().string(1, name).message(2, schema(obj(value))));
  }
  msg.message(9, definitions);
  return msg.finish();
}
