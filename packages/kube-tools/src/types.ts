/** Plain JSON Kubernetes objects, as the API server sends them (no client-side model mapping). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: {
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
    }[];
    [key: string]: unknown;
  };
  // Kubernetes objects are open-ended JSON; analyzers read them defensively.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

export interface KubeList {
  items: KubeObject[];
  metadata?: { resourceVersion?: string; continue?: string };
}

export interface ObjectKey {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
}

export function refString(ref: { kind: string; namespace?: string | null; name: string }): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}
