/** Name rules of k8s.io/apimachinery/pkg/util/validation, with their exact messages. */
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`;
const DNS1035 = '[a-z]([-a-z0-9]*[a-z0-9])?';

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path';

const MESSAGES: Record<NameRule, string> = {
  subdomain: `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${SUBDOMAIN}')`,
  label: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${LABEL}')`,
  dns1035: `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035}')`,
  path: `may not contain '/' or '%'`,
};

const PATTERNS: Record<NameRule, RegExp> = {
  subdomain: new RegExp(`^${SUBDOMAIN}$`),
  label: new RegExp(`^${LABEL}$`),
  dns1035: new RegExp(`^${DNS1035}$`),
  path: /^[^/%]+$/,
};

const MAX: Record<NameRule, number> = { subdomain: 253, label: 63, dns1035: 63, path: 253 };

/** Which rule each kind's names follow (the API server's per-kind ValidateName). */
export function nameRuleOf(kind: string): NameRule {
  if (kind === 'Namespace') return 'label';
  if (kind === 'Service') return 'dns1035';
  if (['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(kind)) return 'path';
  return 'subdomain';
}

/** Returns the error details for an invalid name, or an empty list. */
export function validateName(name: string, rule: NameRule): string[] {
  const errors: string[] = [];
  if (name.length > MAX[rule]) errors.push(`must be no more than ${MAX[rule]} characters`);
  if (!PATTERNS[rule].test(name)) errors.push(MESSAGES[rule]);
  return errors;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export function validateLabelValue(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value))
    errors.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  return errors;
}

export function validateLabelKey(key: string): string[] {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const errors: string[] = [];
  if (prefix !== '' && validateName(prefix, 'subdomain').length > 0)
    errors.push(`prefix part ${MESSAGES.subdomain}`);
  if (name.length > 63 || !QUALIFIED_NAME.test(name))
    errors.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  return errors;
}
