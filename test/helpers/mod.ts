export { startStack, type Stack } from './stack.ts';
export { opsloop, type CliResult } from './cli.ts';
