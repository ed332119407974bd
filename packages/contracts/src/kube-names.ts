import { z } from 'zod';

/**
 * Kubernetes naming rules, checked before anything reaches the API server so a plan can
 * never name an object the cluster would reject (or one smuggled in through odd characters).
 */

/** RFC 1123 label: namespaces and most names that become DNS labels. */
export const DnsLabel = z
  .string()
  .max(63)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a DNS-1123 label: lowercase a-z, 0-9 and "-", starting and ending alphanumeric',
  );

/** RFC 1123 subdomain: object names (Deployments, Services, Nodes, ...). */
export const DnsSubdomain = z
  .string()
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a DNS-1123 subdomain: dot-separated DNS-1123 labels',
  );

/** "v1", "apps/v1", "networking.k8s.io/v1beta1". */
export const ApiVersion = z
  .string()
  .max(253)
  .regex(
    /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/,
    'must be a Kubernetes apiVersion such as "v1" or "apps/v1"',
  );

export const Kind = z
  .string()
  .regex(/^[A-Z][A-Za-z0-9]{0,62}$/, 'must be a Kubernetes kind such as "Deployment"');

/** A reference to an object; namespace is null for cluster-scoped kinds (Node, Namespace). */
export const ObjectRef = z.object({
  kind: Kind,
  namespace: DnsLabel.nullable(),
  name: DnsSubdomain,
});
export type ObjectRef = z.infer<typeof ObjectRef>;
