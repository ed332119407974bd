/** How one kind prints as table rows: its columns and a row per object. */
import { obj, since, str, type Json } from './format.ts';

/** [name, type, format, priority, description]; priority 1 columns show only with -o wide. */
export type Column = [
  string,
  'string' | 'integer' | 'number' | 'boolean' | 'date',
  string,
  0 | 1,
  string,
];

export interface RowCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export interface Printer {
  columns: Column[];
  /** One cell per column, in order; the server always prints the wide cells too. */
  row(object: Json, now: Date): unknown[];
  conditions?(object: Json): RowCondition[] | undefined;
}

export const NAME: Column = [
  'Name',
  'string',
  'name',
  0,
  'Name must be unique within a namespace.',
];
export const AGE: Column = ['Age', 'string', '', 0, 'Time since the object was created.'];

/** The NAME cell: metadata.name. */
export const nameCell = (o: Json): string => str(obj(o.metadata).name);
/** The AGE cell: time since metadata.creationTimestamp. */
export const ageCell = (o: Json, now: Date): string =>
  since(obj(o.metadata).creationTimestamp, now);
export const CONTAINERS: Column = [
  'Containers',
  'string',
  '',
  1,
  'Names of each container in the template.',
];
export const IMAGES: Column = [
  'Images',
  'string',
  '',
  1,
  'Images referenced by each container in the template.',
];
export const SELECTOR: Column = [
  'Selector',
  'string',
  '',
  1,
  'Label selector of the pods it manages.',
];
