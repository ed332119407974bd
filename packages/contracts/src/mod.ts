export * from './errors.ts';
export { canonicalJson, sha256Hex } from './canonical.ts';
export * from './envelope.ts';
export * from './registry.ts';
