/**
 * Validation of created and updated objects; returns causes the server answers as a 422.
 * Covers names, labels, the required fields and immutable fields clients trip over.
 */
import type { StatusCause } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';
import { labelSelectorMatches, type LabelSelector } from '../store/selectors.ts';
import { fieldError } from './field-errors.ts';
import { nameRuleOf, validateLabelKey, validateLabelValue, validateName } from './names.ts';

type Map = Record<string, unknown>;

function validateMeta(object: KObject, causes: StatusCause[]): void {
  const name = object.metadata.name;
  if (name === undefined || name === '')
    causes.push(fieldError.required('metadata.name', 'name or generateName is required'));
  else
    for (const detail of validateName(name, nameRuleOf(object.kind)))
      causes.push(fieldError.invalid('metadata.name', name, detail));
  validateLabels(object.metadata.labels, 'metadata.labels', causes);
}

function validateLabels(
  labels: Record<string, string> | undefined,
  field: string,
  causes: StatusCause[],
): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const d of validateLabelKey(key)) causes.push(fieldError.invalid(field, key, d));
    for (const d of validateLabelValue(String(value)))
      causes.push(fieldError.invalid(field, value, d));
  }
}

function validateContainers(spec: Map | undefined, path: string, causes: StatusCause[]): void {
  const containers = spec?.['containers'];
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push(fieldError.required(`${path}.containers`));
    return;
  }
  const seen = new Set<string>();
  containers.forEach((c: Map, i) => {
    const at = `${path}.containers[${i}]`;
    const name = c['name'];
    if (typeof name !== 'string' || name === '') causes.push(fieldError.required(`${at}.name`));
    else {
      for (const d of validateName(name, 'label'))
        causes.push(fieldError.invalid(`${at}.name`, name, d));
      if (seen.has(name))
        causes.push({
          reason: 'FieldValueDuplicate',
          message: `Duplicate value: ${JSON.stringify(name)}`,
          field: `${at}.name`,
        });
      seen.add(name);
    }
    if (typeof c['image'] !== 'string' || c['image'] === '')
      causes.push(fieldError.required(`${at}.image`));
  });
}

function validateWorkload(object: KObject, causes: StatusCause[], needsSelector: boolean): void {
  const spec = (object['spec'] ?? {}) as Map;
  const template = (spec['template'] ?? {}) as Map;
  const templateMeta = (template['metadata'] ?? {}) as Map;
  const labels = (templateMeta['labels'] ?? {}) as Record<string, string>;
  const selector = spec['selector'] as LabelSelector | undefined;
  if (needsSelector) {
    if (selector === undefined) causes.push(fieldError.required('spec.selector'));
    else if (
      Object.keys(selector.matchLabels ?? {}).length === 0 &&
      (selector.matchExpressions ?? []).length === 0
    )
      causes.push(
        fieldError.invalid('spec.selector', selector, 'empty selector is invalid for deployment'),
      );
    else if (!labelSelectorMatches(selector, labels))
      causes.push(
        fieldError.invalid(
          'spec.template.metadata.labels',
          labels,
          '`selector` does not match template `labels`',
        ),
      );
  }
  validateLabels(labels, 'spec.template.metadata.labels', causes);
  validateContainers(template['spec'] as Map | undefined, 'spec.template.spec', causes);
  const replicas = spec['replicas'];
  if (typeof replicas === 'number' && replicas < 0)
    causes.push(
      fieldError.invalid('spec.replicas', replicas, 'must be greater than or equal to 0'),
    );
}

function validateService(object: KObject, causes: StatusCause[]): void {
  const spec = (object['spec'] ?? {}) as Map;
  const type = spec['type'] as string;
  const allowed = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (!allowed.includes(type)) causes.push(fieldError.notSupported('spec.type', type, allowed));
  const ports = (spec['ports'] as Map[] | undefined) ?? [];
  if (ports.length === 0 && type !== 'ExternalName' && spec['clusterIP'] !== 'None')
    causes.push(fieldError.required('spec.ports'));
  ports.forEach((p, i) => {
    const port = p['port'];
    if (typeof port !== 'number' || port < 1 || port > 65535)
      causes.push(
        fieldError.invalid(`spec.ports[${i}].port`, port, 'must be between 1 and 65535, inclusive'),
      );
    if (ports.length > 1 && !p['name']) causes.push(fieldError.required(`spec.ports[${i}].name`));
  });
}

/** Validates a new object (create) or the result of an update against `old`. */
export function validateObject(object: KObject, old: KObject | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  validateMeta(object, causes);
  switch (object.kind) {
    case 'Pod':
      validateContainers(object['spec'] as Map | undefined, 'spec', causes);
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      validateWorkload(object, causes, true);
      break;
    case 'Job':
      validateWorkload(object, causes, false);
      break;
    case 'Service':
      validateService(object, causes);
      break;
  }
  if (old !== undefined) validateImmutable(object, old, causes);
  return causes;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function validateImmutable(object: KObject, old: KObject, causes: StatusCause[]): void {
  const spec = (object['spec'] ?? {}) as Map;
  const oldSpec = (old['spec'] ?? {}) as Map;
  switch (object.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      if (!same(spec['selector'], oldSpec['selector']))
        causes.push(fieldError.immutable('spec.selector', spec['selector']));
      break;
    case 'Job':
      if (!same(spec['template'], oldSpec['template']))
        causes.push(fieldError.immutable('spec.template', spec['template']));
      if (!same(spec['selector'], oldSpec['selector']))
        causes.push(fieldError.immutable('spec.selector', spec['selector']));
      break;
    case 'Service':
      if (oldSpec['clusterIP'] && spec['clusterIP'] !== oldSpec['clusterIP'])
        causes.push(
          fieldError.invalid('spec.clusterIPs[0]', [spec['clusterIP']], 'may not change once set'),
        );
      break;
    case 'PersistentVolumeClaim': {
      const strip = (s: Map): Map => {
        const { resources: _r, volumeAttributesClassName: _v, volumeName: _n, ...rest } = s;
        return rest;
      };
      // Since 1.28 an unset class may be set once (retroactive default StorageClass).
      const classSet =
        oldSpec['storageClassName'] === undefined && spec['storageClassName'] !== undefined;
      const compared = classSet
        ? { ...oldSpec, storageClassName: spec['storageClassName'] }
        : oldSpec;
      if (!same(strip(spec), strip(compared)))
        causes.push(
          fieldError.forbidden(
            'spec',
            'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
          ),
        );
      break;
    }
    case 'Pod': {
      const images = (s: Map): unknown =>
        ((s['containers'] as Map[] | undefined) ?? []).map((c) => ({ ...c, image: undefined }));
      if (
        !same(images(spec), images(oldSpec)) ||
        (spec['nodeName'] !== oldSpec['nodeName'] && oldSpec['nodeName'] !== undefined)
      )
        causes.push(
          fieldError.forbidden(
            'spec',
            'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
          ),
        );
      break;
    }
  }
}
