/** Printers of networking, storage, RBAC, discovery and coordination kinds. */
import {
  arr,
  formatSelector,
  has,
  listWithMore,
  loadBalancerAddresses,
  obj,
  str,
  type Json,
} from './format.ts';
import { AGE, NAME, ageCell, nameCell, type Printer } from './printer.ts';

function ingressHosts(ingress: Json): string {
  const rules = arr(obj(ingress.spec).rules);
  const hosts = rules.map((r) => str(r.host)).filter((h) => h !== '');
  if (hosts.length === 0) return '*';
  const shown = hosts.slice(0, 3).join(',');
  return rules.length > 3 ? `${shown} + ${rules.length - 3} more...` : shown;
}

export const ingressPrinter: Printer = {
  columns: [
    NAME,
    [
      'Class',
      'string',
      '',
      0,
      'The name of the IngressClass resource that should be used for additional configuration',
    ],
    [
      'Hosts',
      'string',
      '',
      0,
      'Hosts that incoming requests are matched against before the ingress rule',
    ],
    [
      'Address',
      'string',
      '',
      0,
      'Address is a list containing ingress points for the load-balancer',
    ],
    ['Ports', 'string', '', 0, 'Ports of TLS configurations that open'],
    AGE,
  ],
  row(o, now) {
    const spec = obj(o.spec);
    return [
      nameCell(o),
      str(spec.ingressClassName) || '<none>',
      ingressHosts(o),
      loadBalancerAddresses(obj(o.status)).join(','),
      arr(spec.tls).length > 0 ? '80, 443' : '80',
      ageCell(o, now),
    ];
  },
};

export const ingressClassPrinter: Printer = {
  columns: [
    NAME,
    ['Controller', 'string', '', 0, 'Controller that is responsible for handling this class'],
    ['Parameters', 'string', '', 0, 'A reference to a resource with additional parameters'],
    AGE,
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const params = obj(spec.parameters);
    let parameters = '<none>';
    if (has(spec.parameters)) {
      const kind =
        str(params.apiGroup) !== ''
          ? `${str(params.kind)}.${str(params.apiGroup)}`
          : str(params.kind);
      parameters = `${kind}/${str(params.name)}`;
    }
    return [nameCell(o), str(spec.controller), parameters, ageCell(o, now)];
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [NAME, ['Pod-Selector', 'string', '', 0, 'Pods the policy applies to.'], AGE],
  row: (o, now) => [nameCell(o), formatSelector(obj(o.spec).podSelector), ageCell(o, now)],
};

const DEFAULT_CLASS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

export const storageClassPrinter: Printer = {
  columns: [
    NAME,
    ['Provisioner', 'string', '', 0, 'The volume plugin that provisions volumes.'],
    ['ReclaimPolicy', 'string', '', 0, 'Reclaim policy of provisioned volumes.'],
    ['VolumeBindingMode', 'string', '', 0, 'When volumes are bound and provisioned.'],
    ['AllowVolumeExpansion', 'string', '', 0, 'Whether volumes may be expanded.'],
    AGE,
  ],
  row(o, now) {
    const annotations = obj(obj(o.metadata).annotations);
    const isDefault = DEFAULT_CLASS.some((a) => str(annotations[a]) === 'true');
    return [
      isDefault ? `${nameCell(o)} (default)` : nameCell(o),
      str(o.provisioner),
      str(o.reclaimPolicy) || 'Delete',
      str(o.volumeBindingMode) || 'Immediate',
      o.allowVolumeExpansion === true,
      ageCell(o, now),
    ];
  },
};

function subjectsOf(binding: Json, kind: string): string {
  return arr(binding.subjects)
    .filter((s) => str(s.kind) === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${str(s.namespace)}/${str(s.name)}` : str(s.name)))
    .join(', ');
}

export const roleBindingPrinter: Printer = {
  columns: [
    NAME,
    ['Role', 'string', '', 0, 'The role the binding grants.'],
    AGE,
    ['Users', 'string', '', 1, 'Users in the binding'],
    ['Groups', 'string', '', 1, 'Groups in the binding'],
    ['ServiceAccounts', 'string', '', 1, 'ServiceAccounts in the binding'],
  ],
  row(o, now) {
    const ref = obj(o.roleRef);
    return [
      nameCell(o),
      `${str(ref.kind)}/${str(ref.name)}`,
      ageCell(o, now),
      subjectsOf(o, 'User'),
      subjectsOf(o, 'Group'),
      subjectsOf(o, 'ServiceAccount'),
    ];
  },
};

/** The API server's default table (rest.DefaultTableConvertor) for kinds without a printer. */
export const createdAtPrinter: Printer = {
  columns: [NAME, ['Created At', 'date', '', 0, 'When the object was created.']],
  row(o) {
    const created = Date.parse(str(obj(o.metadata).creationTimestamp));
    return [
      nameCell(o),
      Number.isNaN(created) ? null : new Date(created).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ];
  },
};

export const endpointSlicePrinter: Printer = {
  columns: [
    NAME,
    ['AddressType', 'string', '', 0, 'IPv4, IPv6 or FQDN.'],
    ['Ports', 'string', '', 0, 'Ports of the endpoints.'],
    ['Endpoints', 'string', '', 0, 'Addresses of the endpoints.'],
    AGE,
  ],
  row(o, now) {
    const ports = arr(o.ports).map((p) =>
      typeof p.port === 'number' ? String(p.port) : str(p.name) || '*',
    );
    const addresses = arr(o.endpoints).flatMap((e) =>
      Array.isArray(e.addresses) ? e.addresses.map(str) : [],
    );
    return [
      nameCell(o),
      str(o.addressType),
      listWithMore(ports, 3, '<unset>'),
      listWithMore(addresses, 3, '<unset>'),
      ageCell(o, now),
    ];
  },
};

export const leasePrinter: Printer = {
  columns: [NAME, ['Holder', 'string', '', 0, 'Identity of the current holder.'], AGE],
  row: (o, now) => [nameCell(o), str(obj(o.spec).holderIdentity), ageCell(o, now)],
};

export const webhookPrinter: Printer = {
  columns: [
    NAME,
    [
      'Webhooks',
      'integer',
      '',
      0,
      'Webhooks indicates the number of webhooks registered in this configuration',
    ],
    AGE,
  ],
  row: (o, now) => [nameCell(o), arr(o.webhooks).length, ageCell(o, now)],
};

/** For a kind with no printer at all: NAME and AGE. */
export const genericPrinter: Printer = {
  columns: [NAME, AGE],
  row: (o, now) => [nameCell(o), ageCell(o, now)],
};
