import { ACTIONS, READ_TOOLS, jsonSchemaOf } from '@opsloop/kube-tools';
import { z } from 'zod';
import type { ToolSpec } from './provider.ts';

/**
 * The tools a model gets, as JSON Schema: kube-tools' read tools, `action_schema` (the full
 * argument schema of one catalog action, on demand, so the prompt carries only one line
 * per action), and the two ways to finish, `propose_plan` and `answer`.
 */
export const FINAL_TOOLS = ['propose_plan', 'answer'] as const;
export const ACTION_SCHEMA_TOOL = 'action_schema';

/** Schema keywords a model needs no tokens for: validation enforces them and says so. */
const DROPPED = [
  '$schema',
  'pattern',
  'maxLength',
  'minLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'additionalProperties',
];

/** Enums longer than this are named by examples: the kinds enum alone, on four tools, cost ~500 tokens. */
const LONGEST_ENUM = 10;

/**
 * Drops what costs tokens and tells a model nothing it needs ($schema, regex patterns,
 * lengths, bounds), and writes a long enum as a few examples. The arguments are still validated
 * against the full schema: a value outside the enum comes back to the model as an error
 * naming what is allowed.
 */
export function compactSchema(schema: unknown): Record<string, unknown> {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (DROPPED.includes(key)) continue;
      if (key === 'enum' && Array.isArray(v) && v.length > LONGEST_ENUM) {
        out.description = `e.g. ${v.slice(0, 4).join(', ')}, …`;
        continue;
      }
      out[key] = walk(v);
    }
    return out;
  };
  return walk(schema) as Record<string, unknown>;
}

export function actionSchema(name: string): Record<string, unknown> {
  return compactSchema(
    z.toJSONSchema(ACTIONS[name]!.schema as z.ZodType, { io: 'input', unrepresentable: 'any' }),
  );
}

/** The args most actions start with, written once in the prompt as W. */
export const WORKLOAD_TARGET = ['namespace', 'kind', 'name'];

/**
 * One line per catalog action: name(args, optional?) and the first words of its
 * description; `W` stands for WORKLOAD_TARGET (the prompt says so).
 */
export function catalogLines(): string[] {
  return Object.values(ACTIONS).map((action) => {
    const schema = actionSchema(action.name) as {
      properties?: Record<string, unknown>;
      required?: string[];
    };
    const required = new Set(schema.required ?? []);
    let names = Object.keys(schema.properties ?? {});
    const targetsWorkload = WORKLOAD_TARGET.every((k, i) => names[i] === k && required.has(k));
    if (targetsWorkload) names = names.slice(WORKLOAD_TARGET.length);
    const args = [
      ...(targetsWorkload ? ['W'] : []),
      ...names.map((k) => (required.has(k) ? k : `${k}?`)),
    ].join(', ');
    const about = firstWords(action.description.split(/(?<=\.)\s/)[0]!, 56);
    return `- ${action.name}(${args}): ${about}`;
  });
}

/** At most `max` characters of `text`, cut at a word, marked with … when cut. */
function firstWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1))}…`;
}

export function toolSpecs(): ToolSpec[] {
  const read = Object.values(READ_TOOLS).map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: compactSchema(jsonSchemaOf(tool)),
  }));
  return [
    ...read,
    {
      name: ACTION_SCHEMA_TOOL,
      description: "The full JSON Schema of one catalog action's args.",
      parameters: {
        type: 'object',
        properties: { action: { type: 'string', description: 'a catalog action name' } },
        required: ['action'],
      },
    },
    {
      name: 'propose_plan',
      description:
        'Finish with a plan: catalog actions and their args only. The planner derives every target and change itself and checks them against policy.',
      parameters: {
        type: 'object',
        properties: {
          steps: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                action: { type: 'string', description: 'a catalog action name' },
                args: { type: 'object' },
                why: { type: 'string' },
              },
              required: ['action', 'args', 'why'],
            },
          },
          rationale: { type: 'string' },
        },
        required: ['steps', 'rationale'],
      },
    },
    {
      name: 'answer',
      description: 'Finish with an answer when nothing should change (a question, or no safe fix).',
      parameters: {
        type: 'object',
        properties: { answer: { type: 'string' } },
        required: ['answer'],
      },
    },
  ];
}

export const ProposePlanArgs = z.strictObject({
  steps: z
    .array(
      z.strictObject({
        action: z.string().min(1).max(64),
        args: z.record(z.string(), z.unknown()),
        why: z.string().min(1).max(1000),
      }),
    )
    .min(1)
    .max(20),
  rationale: z.string().min(1).max(2000),
});
export type ProposePlanArgs = z.infer<typeof ProposePlanArgs>;

export const AnswerArgs = z.strictObject({ answer: z.string().min(1).max(8000) });

export const ActionSchemaArgs = z.strictObject({ action: z.string().min(1).max(64) });

/** zod issues as one line a model can act on. */
export function issuesText(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map(
      (i) =>
        `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(args)'}: ${i.message}`,
    )
    .join('; ');
}

/**
 * Validates a propose_plan call: the envelope, then each step's args against its action's
 * own schema. Returns the steps, or every problem in one message for the repair turn.
 */
export function validatePlan(
  args: unknown,
): { ok: true; plan: ProposePlanArgs } | { ok: false; error: string } {
  const parsed = ProposePlanArgs.safeParse(args);
  if (!parsed.success) return { ok: false, error: issuesText(parsed.error) };
  const problems: string[] = [];
  parsed.data.steps.forEach((step, i) => {
    const action = Object.hasOwn(ACTIONS, step.action) ? ACTIONS[step.action] : undefined;
    if (!action) {
      problems.push(`steps.${i}.action: "${step.action}" is not a catalog action`);
      return;
    }
    const checked = (action.schema as z.ZodType).safeParse(step.args);
    if (!checked.success) problems.push(issuesText(checked.error, `steps.${i}.args`));
  });
  return problems.length
    ? { ok: false, error: problems.join('; ') }
    : { ok: true, plan: parsed.data };
}
