/** Shared apimachinery shapes: metadata, selectors, quantities. */
import type { Definition } from './model.ts';
import { ATOMIC, byKey } from './model.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const metaDefs: Record<string, Definition> = {
  ObjectMeta: {
    name: `${META}.ObjectMeta`,
    description:
      'Standard metadata every persisted object has: identity, labels, annotations, ownership.',
    fields: {
      annotations: [
        'map[string]',
        'Unstructured key/value data stored with the object, not used for selection.',
      ],
      creationTimestamp: ['time', 'When the object was created, set by the server. Read-only.'],
      deletionGracePeriodSeconds: [
        'int64',
        'Seconds the object is allowed to terminate gracefully once deleted. Read-only.',
      ],
      deletionTimestamp: [
        'time',
        'When the object will be deleted, set by the server when deletion is requested. Read-only.',
      ],
      finalizers: [
        '[]string',
        'Entries that must be removed before the object is deleted from storage.',
        { listType: 'set', strategy: 'merge' },
      ],
      generateName: [
        'string',
        'Prefix the server uses to generate a unique name when name is empty.',
      ],
      generation: [
        'int64',
        'Sequence number of the desired state, incremented by the server. Read-only.',
      ],
      labels: ['map[string]', 'Key/value pairs used to organize and select objects.'],
      managedFields: [
        '[]@ManagedFieldsEntry',
        'Which field manager owns which fields (server-side apply).',
        ATOMIC,
      ],
      name: [
        'string',
        'Name of the object, unique within its namespace (or the cluster) for its kind.',
      ],
      namespace: ['string', 'Namespace of the object; empty for cluster-scoped kinds.'],
      ownerReferences: [
        '[]@OwnerReference',
        'Objects this one depends on; it is garbage collected when all owners are gone.',
        byKey('uid'),
      ],
      resourceVersion: [
        'string',
        'Opaque version of the object, used for optimistic concurrency and watches. Read-only.',
      ],
      selfLink: ['string', 'Deprecated and never set.'],
      uid: ['string', 'Unique identifier of this object over its whole lifetime. Read-only.'],
    },
  },
  OwnerReference: {
    name: `${META}.OwnerReference`,
    description:
      'Identifies an owning object, which must be in the same namespace (or cluster-scoped).',
    required: ['apiVersion', 'kind', 'name', 'uid'],
    fields: {
      apiVersion: ['string', 'API version of the owner.'],
      blockOwnerDeletion: [
        'boolean',
        'If true, foreground deletion of the owner waits for this object.',
      ],
      controller: ['boolean', 'If true, the owner is the managing controller.'],
      kind: ['string', 'Kind of the owner.'],
      name: ['string', 'Name of the owner.'],
      uid: ['string', 'UID of the owner.'],
    },
  },
  ManagedFieldsEntry: {
    name: `${META}.ManagedFieldsEntry`,
    description: 'The fields one manager owns, and how it last wrote them.',
    fields: {
      apiVersion: ['string', 'Version of the fields set.'],
      fieldsType: ['string', 'Format of fieldsV1; always FieldsV1.'],
      fieldsV1: ['object', 'The set of owned fields.'],
      manager: ['string', 'Name of the field manager.'],
      operation: ['string', 'Apply or Update.'],
      subresource: ['string', 'The subresource written, if any.'],
      time: ['time', 'When the manager last changed these fields.'],
    },
  },
  LabelSelector: {
    name: `${META}.LabelSelector`,
    description:
      'Selects objects by label; all requirements must hold. An empty selector matches everything.',
    fields: {
      matchExpressions: [
        '[]@LabelSelectorRequirement',
        'Requirements on label keys and values.',
        ATOMIC,
      ],
      matchLabels: ['map[string]', 'Exact key=value matches.'],
    },
  },
  LabelSelectorRequirement: {
    name: `${META}.LabelSelectorRequirement`,
    description: 'One requirement on a label: In, NotIn, Exists or DoesNotExist.',
    required: ['key', 'operator'],
    fields: {
      key: ['string', 'The label key.'],
      operator: ['string', 'In, NotIn, Exists or DoesNotExist.'],
      values: ['[]string', 'Values for In and NotIn; empty for Exists and DoesNotExist.', ATOMIC],
    },
  },
  Time: {
    name: `${META}.Time`,
    description: 'An RFC 3339 timestamp in UTC.',
    fields: {},
    scalar: { type: 'string', format: 'date-time' },
  },
  Quantity: {
    name: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
    description: 'A fixed-point amount such as 500m, 1.5, 128Mi or 2Gi.',
    fields: {},
    scalar: { type: 'string' },
  },
  IntOrString: {
    name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    description: 'Either an integer or a string, such as a port number or a port name, 1 or "25%".',
    fields: {},
    scalar: { type: 'string', format: 'int-or-string' },
  },
};
