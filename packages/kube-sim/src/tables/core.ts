/** Printers of core/v1 kinds other than Pod. */
import {
  accessModes,
  arr,
  formatLabels,
  has,
  listWithMore,
  loadBalancerAddresses,
  num,
  obj,
  since,
  str,
  strs,
  type Json,
} from './format.ts';
import { AGE, NAME, SELECTOR, ageCell, nameCell, type Printer } from './printer.ts';

export function serviceExternalIP(service: Json): string {
  const spec = obj(service.spec);
  const externalIPs = strs(spec.externalIPs);
  switch (str(spec.type) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const all = [...loadBalancerAddresses(obj(service.status)), ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

export function servicePorts(service: Json): string {
  const ports = arr(obj(service.spec).ports).map((p) => {
    const protocol = str(p.protocol) || 'TCP';
    return num(p.nodePort) > 0
      ? `${num(p.port)}:${num(p.nodePort)}/${protocol}`
      : `${num(p.port)}/${protocol}`;
  });
  return ports.length > 0 ? ports.join(',') : '<none>';
}

export const servicePrinter: Printer = {
  columns: [
    NAME,
    ['Type', 'string', '', 0, 'How the service is exposed.'],
    ['Cluster-IP', 'string', '', 0, 'The virtual IP of the service inside the cluster.'],
    ['External-IP', 'string', '', 0, 'Addresses the service is reachable at from outside.'],
    ['Port(s)', 'string', '', 0, 'Ports the service exposes.'],
    AGE,
    SELECTOR,
  ],
  row(o, now) {
    const spec = obj(o.spec);
    return [
      nameCell(o),
      str(spec.type) || 'ClusterIP',
      str(spec.clusterIP) || '<none>',
      serviceExternalIP(o),
      servicePorts(o),
      ageCell(o, now),
      formatLabels(spec.selector),
    ];
  },
};

export function formatEndpoints(endpoints: Json): string {
  const subsets = arr(endpoints.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  for (const subset of subsets) {
    const addresses = arr(subset.addresses).map((a) => str(a.ip));
    const ports = arr(subset.ports);
    if (ports.length === 0) list.push(...addresses);
    for (const port of ports) {
      for (const ip of addresses)
        list.push(ip.includes(':') ? `[${ip}]:${num(port.port)}` : `${ip}:${num(port.port)}`);
    }
  }
  return listWithMore(list, 3, '');
}

export const endpointsPrinter: Printer = {
  columns: [
    NAME,
    ['Endpoints', 'string', '', 0, 'Ready addresses and ports behind the service.'],
    AGE,
  ],
  row: (o, now) => [nameCell(o), formatEndpoints(o), ageCell(o, now)],
};

export function nodeStatus(node: Json): string {
  const ready = arr(obj(node.status).conditions).find((c) => str(c.type) === 'Ready');
  const parts =
    ready === undefined ? ['Unknown'] : [str(ready.status) === 'True' ? 'Ready' : 'NotReady'];
  if (obj(node.spec).unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

export function nodeRoles(node: Json): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(obj(obj(node.metadata).labels))) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role !== '') roles.add(role);
    } else if (key === 'kubernetes.io/role' && str(value) !== '') {
      roles.add(str(value));
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: Json, type: string): string {
  return (
    str(arr(obj(node.status).addresses).find((a) => str(a.type) === type)?.address) || '<none>'
  );
}

export const nodePrinter: Printer = {
  columns: [
    NAME,
    ['Status', 'string', '', 0, 'The status of the node'],
    ['Roles', 'string', '', 0, 'The roles of the node'],
    AGE,
    ['Version', 'string', '', 0, 'Kubelet version of the node.'],
    ['Internal-IP', 'string', '', 1, 'Internal address of the node.'],
    ['External-IP', 'string', '', 1, 'External address of the node.'],
    ['OS-Image', 'string', '', 1, 'Operating system image of the node.'],
    ['Kernel-Version', 'string', '', 1, 'Kernel version of the node.'],
    ['Container-Runtime', 'string', '', 1, 'Container runtime and its version.'],
  ],
  row(o, now) {
    const info = obj(obj(o.status).nodeInfo);
    return [
      nameCell(o),
      nodeStatus(o),
      nodeRoles(o),
      ageCell(o, now),
      str(info.kubeletVersion),
      nodeAddress(o, 'InternalIP'),
      nodeAddress(o, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};

/** Reads a core/v1 or an events.k8s.io/v1 Event into the fields the printer needs. */
function eventFields(e: Json) {
  const modern = str(e.apiVersion).startsWith('events.k8s.io/');
  const involved = obj(modern ? e.regarding : e.involvedObject);
  const source = obj(modern ? e.deprecatedSource : e.source);
  return {
    first: modern ? e.deprecatedFirstTimestamp : e.firstTimestamp,
    last: modern ? e.deprecatedLastTimestamp : e.lastTimestamp,
    count: num(modern ? e.deprecatedCount : e.count),
    message: str(modern ? e.note : e.message),
    involved,
    source,
  };
}

export const eventPrinter: Printer = {
  columns: [
    ['Last Seen', 'string', '', 0, 'Time since the event was last seen.'],
    ['Type', 'string', '', 0, 'Normal or Warning.'],
    ['Reason', 'string', '', 0, 'Short machine-readable reason.'],
    ['Object', 'string', '', 0, 'The object the event is about.'],
    ['Subobject', 'string', '', 1, 'The part of the object, such as a container.'],
    ['Source', 'string', '', 1, 'The component that reported the event.'],
    ['Message', 'string', '', 0, 'Human-readable description.'],
    ['First Seen', 'string', '', 1, 'Time since the event was first seen.'],
    ['Count', 'string', '', 1, 'How many times the event occurred.'],
    ['Name', 'string', 'name', 1, 'Name of the event object.'],
  ],
  row(e, now) {
    const f = eventFields(e);
    const first = has(f.first) ? since(f.first, now) : since(e.eventTime, now);
    let last = has(f.last) ? since(f.last, now) : first;
    let count = f.count;
    const series = obj(e.series);
    if (has(e.series)) {
      last = since(series.lastObservedTime, now);
      count = num(series.count);
    } else if (count === 0) {
      count = 1;
    }
    const kind = str(f.involved.kind).toLowerCase();
    const target = str(f.involved.name) !== '' ? `${kind}/${str(f.involved.name)}` : kind;
    const component = str(f.source.component);
    const source =
      component !== ''
        ? [component, str(f.source.host)].filter((s) => s !== '').join(', ')
        : [str(e.reportingController), str(e.reportingInstance)].filter((s) => s !== '').join(', ');
    return [
      last,
      str(e.type),
      str(e.reason),
      target,
      str(f.involved.fieldPath),
      source,
      f.message.trim(),
      first,
      count,
      nameCell(e),
    ];
  },
};

export const namespacePrinter: Printer = {
  columns: [NAME, ['Status', 'string', '', 0, 'The status of the namespace'], AGE],
  row: (o, now) => [nameCell(o), str(obj(o.status).phase), ageCell(o, now)],
};

export const configMapPrinter: Printer = {
  columns: [NAME, ['Data', 'string', '', 0, 'Number of keys.'], AGE],
  row: (o, now) => [
    nameCell(o),
    Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length,
    ageCell(o, now),
  ],
};

export const secretPrinter: Printer = {
  columns: [
    NAME,
    ['Type', 'string', '', 0, 'The type of the secret.'],
    ['Data', 'string', '', 0, 'Number of keys.'],
    AGE,
  ],
  row: (o, now) => [nameCell(o), str(o.type), Object.keys(obj(o.data)).length, ageCell(o, now)],
};

export const serviceAccountPrinter: Printer = {
  columns: [NAME, ['Secrets', 'string', '', 0, 'Number of secrets listed on the account.'], AGE],
  row: (o, now) => [nameCell(o), arr(o.secrets).length, ageCell(o, now)],
};

export const pvcPrinter: Printer = {
  columns: [
    NAME,
    ['Status', 'string', '', 0, 'Phase of the claim.'],
    ['Volume', 'string', '', 0, 'The volume bound to the claim.'],
    ['Capacity', 'string', '', 0, 'Capacity of the bound volume.'],
    ['Access Modes', 'string', '', 0, 'Access modes of the bound volume.'],
    ['StorageClass', 'string', '', 0, 'StorageClass of the pvc'],
    ['VolumeAttributesClass', 'string', '', 0, 'VolumeAttributesClass of the pvc'],
    AGE,
    ['VolumeMode', 'string', '', 1, 'Filesystem or Block.'],
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const deleting = has(obj(o.metadata).deletionTimestamp);
    const bound = str(spec.volumeName) !== '';
    const annotations = obj(obj(o.metadata).annotations);
    return [
      nameCell(o),
      deleting ? 'Terminating' : str(status.phase),
      str(spec.volumeName),
      bound ? str(obj(status.capacity).storage) : '',
      bound ? accessModes(status.accessModes) : '',
      str(annotations['volume.beta.kubernetes.io/storage-class']) || str(spec.storageClassName),
      str(spec.volumeAttributesClassName) || '<unset>',
      ageCell(o, now),
      str(spec.volumeMode) || '<unset>',
    ];
  },
};

export const pvPrinter: Printer = {
  columns: [
    NAME,
    ['Capacity', 'string', '', 0, 'Capacity of the volume.'],
    ['Access Modes', 'string', '', 0, 'How the volume can be mounted.'],
    ['Reclaim Policy', 'string', '', 0, 'What happens to the volume when released.'],
    ['Status', 'string', '', 0, 'Phase of the volume.'],
    ['Claim', 'string', '', 0, 'The claim bound to the volume.'],
    ['StorageClass', 'string', '', 0, 'StorageClass of the pv'],
    ['VolumeAttributesClass', 'string', '', 0, 'VolumeAttributesClass of the pv'],
    ['Reason', 'string', '', 0, 'Why the volume is in its phase.'],
    AGE,
    ['VolumeMode', 'string', '', 1, 'Filesystem or Block.'],
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const claim = obj(spec.claimRef);
    return [
      nameCell(o),
      str(obj(spec.capacity).storage),
      accessModes(spec.accessModes),
      str(spec.persistentVolumeReclaimPolicy),
      has(obj(o.metadata).deletionTimestamp) ? 'Terminating' : str(status.phase),
      has(spec.claimRef) ? `${str(claim.namespace)}/${str(claim.name)}` : '',
      str(spec.storageClassName),
      str(spec.volumeAttributesClassName) || '<unset>',
      str(status.reason),
      ageCell(o, now),
      str(spec.volumeMode) || '<unset>',
    ];
  },
};

export const resourceQuotaPrinter: Printer = {
  columns: [
    NAME,
    ['Request', 'string', '', 0, 'Used and hard amounts of every non-limit resource.'],
    ['Limit', 'string', '', 0, 'Used and hard amounts of every limits.* resource.'],
    AGE,
  ],
  row(o, now) {
    const status = obj(o.status);
    const hard = obj(status.hard);
    const used = obj(status.used);
    const requests: string[] = [];
    const limits: string[] = [];
    for (const resource of Object.keys(hard).sort()) {
      const text = `${resource}: ${str(used[resource]) || '0'}/${str(hard[resource])}`;
      (resource.startsWith('limits.') ? limits : requests).push(text);
    }
    return [nameCell(o), requests.join(', '), limits.join(', '), ageCell(o, now)];
  },
};
