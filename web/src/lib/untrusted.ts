/**
 * Cluster data (logs, events, annotations) is written by whoever controls those objects.
 * The console shows it only as quoted text, and flags text that speaks to an AI agent or
 * tries to pass for instructions, so an approver notices an injection attempt instead of
 * reading it as advice. A heuristic: it marks text for a human to look at, it decides nothing.
 */
const PATTERNS: { label: string; pattern: RegExp }[] = [
  {
    label: 'addresses an AI',
    pattern: /\b(ai|llm|gpt)[\s-]*(agents?|assistants?|operators?|models?)\b/i,
  },
  { label: 'addresses an AI', pattern: /^\s*(assistant|system|agent)\s*:/im },
  {
    label: 'overrides instructions',
    pattern:
      /\b(ignore|disregard|forget)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all)\b[^.\n]{0,20}\b(instructions?|rules|prompts?)\b/i,
  },
  {
    label: 'overrides instructions',
    pattern: /\b(system override|jailbreak|developer mode|new instructions)\b/i,
  },
  {
    label: 'asks to skip approval',
    pattern: /\b(do not|don't|without)\b[^.\n]{0,30}\b(ask|asking|approval|approve|confirm)/i,
  },
  { label: 'asks for a command', pattern: /\bkubectl\s+(delete|apply|create|patch|edit|exec)\b/i },
  { label: 'asks for privileges', pattern: /\b(cluster-admin|system:anonymous|system:masters)\b/i },
];

/** The reasons `text` looks like it addresses an AI agent; empty when it does not. */
export function injectionFlags(text: string): string[] {
  const found = new Set<string>();
  for (const { label, pattern } of PATTERNS) if (pattern.test(text)) found.add(label);
  return [...found];
}
