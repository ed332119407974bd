import { leadingNumber } from './numbers.ts';

/**
 * What a request asks for, read without a model. Targets are left as the words the user
 * wrote ("the checkout service"); resolve.ts matches them against the objects that exist,
 * so the parser never has to know a naming scheme.
 */
export type Intent =
  | { kind: 'scale'; target: string; change: ScaleChange }
  | { kind: 'restart'; target: string }
  | { kind: 'rollback'; target: string; toRevision?: number }
  | { kind: 'set-image'; target: string; image: string; container?: string }
  /** A pull secret a person names (Opsloop cannot list Secrets to find one). */
  | { kind: 'set-pull-secret'; target: string; secret: string }
  | { kind: 'logs'; target: string }
  | { kind: 'log-errors'; target: string }
  | { kind: 'diagnose'; target: string; symptom: Symptom | null; fix: boolean }
  /** `guess`: a yes/no question about an object, read as "is it healthy?" only if the object exists. */
  | { kind: 'health'; target: string; guess?: true }
  | { kind: 'unknown' };

export type ScaleChange =
  | { to: number }
  | { byPercent: number; direction: 'up' | 'down' }
  | { by: number; direction: 'up' | 'down' };

export type Symptom = 'pending' | 'crashing' | 'unreachable' | 'not-ready' | 'failing';

export interface ParsedRequest {
  intent: Intent;
  /** A namespace named in the text ("in namespace shop", "-n shop"). */
  namespace?: string;
}

const NS = '([a-z0-9][a-z0-9-]{0,62})';
const NAMESPACE = [
  new RegExp(String.raw`\b(?:in|on|of|from)\s+(?:the\s+)?namespace\s+${NS}\b`, 'i'),
  new RegExp(String.raw`(?:^|\s)(?:-n|--namespace)[\s=]+${NS}\b`, 'i'),
  new RegExp(String.raw`\b${NS}\s+namespace\b`, 'i'),
  new RegExp(String.raw`\bnamespace\s+${NS}\b`, 'i'),
];

function namespaceIn(text: string): string | undefined {
  for (const re of NAMESPACE) {
    const found = re.exec(text)?.[1]?.toLowerCase();
    if (found !== undefined && !FILLER.has(found)) return found;
  }
  return undefined;
}

const QUESTION =
  /^(?:why|what|what's|whats|how|is|are|does|do|did|has|have|can you tell|tell me why)\b/i;
const FIX =
  /\b(?:fix|repair|resolve|heal|remediate|sort (?:it|this) out|make it work|get it working)\b/i;
const SYMPTOMS: [RegExp, Symptom][] = [
  [
    /\b(?:pending|unschedul\w*|(?:not|can'?t|cannot) (?:be |get )?scheduled|init:\d+\/\d+|containercreating|stuck)\b/i,
    'pending',
  ],
  [
    /\b(?:crash\w*|restart(?:s|ing|ed)?|oom\w*|keeps? (?:dying|exiting)|won'?t start|not starting|never starts?|doesn'?t start|fails? to start|back-?off|imagepull\w*|errimagepull|createcontainer\w*|evicted)\b/i,
    'crashing',
  ],
  [
    /\b(?:unreachable|can'?t (?:reach|connect)|cannot (?:reach|connect)|no endpoints|not reachable|timing out|timeouts?|times? out|connection refused|unavailable|503|502|down|degraded|not (?:being )?served|cannot talk|can'?t talk)\b/i,
    'unreachable',
  ],
  [
    /\b(?:not ready|unready|never ready|unhealthy|<unknown>|never scales?|zero pods|blocking|blocked|missing|full)\b/i,
    'not-ready',
  ],
  [
    /\b(?:fail\w*|broken|not working|doesn'?t work|isn'?t working|(?:have|has)(?:n'?t| not) run|not (?:getting|receiving)|hanging)\b/i,
    'failing',
  ],
];

export function parseRequest(raw: string): ParsedRequest {
  const text = raw.replace(/\s+/g, ' ').trim();
  const namespace = namespaceIn(text);
  const body = text.replace(/[.!?]+$/, '');
  const intent = parseIntent(body);
  return namespace === undefined ? { intent } : { intent, namespace };
}

function parseIntent(text: string): Intent {
  if (!QUESTION.test(text)) {
    const command = parseCommand(text);
    if (command !== null) return command;
  }
  // Asking to read logs, not mentioning them ("the logs show nothing wrong" is context).
  const readLogs =
    /\b(?:show|get|print|tail|display|view|see|check|read|fetch|give me|look (?:at|through)|scan|search|grep)\b[^.?!]*?\blogs?\b/i;
  const errorsInLogs = /\bany\s+(?:errors?|exceptions?|problems?)\b[^.?!]*\blogs?\b/i;
  const notGetting = /\bnot (?:getting|receiving|seeing)\b[^.?!]*\blogs?\b/i;
  if (
    !notGetting.test(text) &&
    (readLogs.test(text) || errorsInLogs.test(text) || /^logs?\b/i.test(text))
  ) {
    const errors = /\b(?:errors?|exceptions?|fail\w*|panics?|fatal|problems?|issues?|warnings?)\b/i;
    return errors.test(text)
      ? { kind: 'log-errors', target: subject(text) }
      : { kind: 'logs', target: subject(text) };
  }
  const symptom = SYMPTOMS.find(([re]) => re.test(text))?.[1] ?? null;
  const fix = FIX.test(text);
  // A described failure is a diagnosis (and a plan when a typed fix exists); a bare
  // "what's wrong / is it healthy" question is answered without proposing anything.
  if (/\bwhy\b/i.test(text) || fix || symptom !== null) {
    return { kind: 'diagnose', target: subject(text), symptom, fix };
  }
  if (
    /\b(?:what'?s|what is|whats)\s+(?:wrong|broken|going on|happening|up)\b/i.test(text) ||
    /\b(?:healthy|health|status|ok|okay|fine|problems?|issues?|wrong)\b/i.test(text)
  ) {
    return { kind: 'health', target: subject(text) };
  }
  // "Can the checker reach nginx?", "Does the reader see the reports?": about named objects.
  const target = subject(text);
  if (/^(?:can|could|does|do|is|are|will)\b/i.test(text) && target !== '') {
    return { kind: 'health', target, guess: true };
  }
  return { kind: 'unknown' };
}

const POLITE = String.raw`(?:(?:please|pls|kindly|now|can you|could you|would you|i need you to|go ahead and)\s+)*`;

function parseCommand(text: string): Intent | null {
  const image =
    new RegExp(
      String.raw`^${POLITE}(?:set|change|update|bump)\s+(?:the\s+)?image\s+(?:of\s+)?(?:(?:the\s+)?container\s+([a-z0-9-]+)\s+(?:in|of)\s+)?(.+?)\s+to\s+(\S+)$`,
      'i',
    ).exec(text) ??
    new RegExp(
      String.raw`^${POLITE}(?:set|change|update|bump)\s+(?:the\s+)?(.+?)(?:'s)?\s+(?:container\s+([a-z0-9-]+)\s+)?image\s+to\s+(\S+)$`,
      'i',
    ).exec(text);
  if (image) {
    const first = /^\S+\s+(?:the\s+)?image\b/i.test(
      text.replace(new RegExp(`^${POLITE}`, 'i'), ''),
    );
    const [container, target] = first ? [image[1], image[2]] : [image[2], image[1]];
    return {
      kind: 'set-image',
      target: clean(target ?? ''),
      image: image[3]!.replace(/[,;]$/, ''),
      ...(container ? { container: container.toLowerCase() } : {}),
    };
  }
  const pullSecret = new RegExp(
    String.raw`^${POLITE}(?:set|use|add|reference|attach)\s+(?:the\s+)?(?:image\s*)?pull[- ]?secret\s+([a-z0-9][a-z0-9.-]{0,252})\s+(?:on|for|to|in)\s+(.+)$`,
    'i',
  ).exec(text);
  if (pullSecret)
    return { kind: 'set-pull-secret', target: clean(pullSecret[2]!), secret: pullSecret[1]! };
  const scale = parseScale(text);
  if (scale !== null) return scale;
  const rollback = new RegExp(
    String.raw`^${POLITE}(?:roll\s*back|rollback|undo|revert)\s+(?:the\s+)?(?:(?:last\s+|latest\s+|recent\s+)?(?:deploy(?:ment)?|rollout|release|change)\s+(?:of|to|for)\s+)?(.+?)(?:\s+to\s+(?:the\s+)?(?:previous|last good|earlier)\s+(?:revision|version|release))?(?:\s+to\s+revision\s+(\d+))?$`,
    'i',
  ).exec(text);
  if (rollback) {
    const toRevision = rollback[2] === undefined ? undefined : Number(rollback[2]);
    return {
      kind: 'rollback',
      target: clean(rollback[1]!),
      ...(toRevision === undefined ? {} : { toRevision }),
    };
  }
  const restart = new RegExp(
    String.raw`^${POLITE}(?:rollout\s+restart|restart|bounce|recycle|redeploy)\s+(?:all\s+)?(?:(?:the\s+)?pods\s+(?:of|for|in)\s+)?(.+)$`,
    'i',
  ).exec(text);
  if (restart) return { kind: 'restart', target: clean(restart[1]!) };
  return null;
}

function parseScale(text: string): Intent | null {
  const verb = new RegExp(
    String.raw`^${POLITE}(?:scale|resize)\s+(up\s+|down\s+)?(?:the\s+)?(.+?)\s+(up\s+|down\s+)?(to|by)\s+(.+)$`,
    'i',
  ).exec(text);
  const replicas = new RegExp(
    String.raw`^${POLITE}(?:set|change|update)\s+(?:the\s+)?(?:replicas?|replica count|instances)\s+(?:of|for)\s+(?:the\s+)?(.+?)\s+(to)\s+(.+)$`,
    'i',
  ).exec(text);
  let target: string;
  let direction: 'up' | 'down' | undefined;
  let mode: string;
  let amount: string;
  if (verb) {
    target = verb[2]!;
    direction = (verb[1] ?? verb[3])?.trim().toLowerCase() as 'up' | 'down' | undefined;
    mode = verb[4]!.toLowerCase();
    amount = verb[5]!;
  } else if (replicas) {
    [, target, mode, amount] = replicas as unknown as [string, string, string, string];
  } else return null;
  const number = leadingNumber(amount.trim());
  if (number === null) return null;
  const rest = amount.trim().slice(number.length).trim();
  const percent = /^(?:%|percent|per cent)/i.test(rest);
  if (mode === 'to' && !percent)
    return { kind: 'scale', target: clean(target), change: { to: number.value } };
  if (mode === 'by') {
    const dir = direction ?? (/\b(?:down|less|fewer)\b/i.test(rest) ? 'down' : 'up');
    return {
      kind: 'scale',
      target: clean(target),
      change: percent
        ? { byPercent: number.value, direction: dir }
        : { by: number.value, direction: dir },
    };
  }
  return null;
}

/** The words naming what the request is about, with the request's own vocabulary removed. */
function subject(text: string): string {
  return clean(
    text
      .replace(/\bnamespace\s+\S+/gi, ' ')
      .replace(/\S+\s+namespace\b/gi, ' ')
      .replace(/(?:^|\s)(?:-n|--namespace)[\s=]+\S+/gi, ' '),
  );
}

const FILLER = new Set(
  (
    'a an the my our your its it this that these those is are was were be been being am do does did ' +
    'why what whats how when where which who please pls can could would should will you me us i we ' +
    'and or but so then also just still now since after before last recent latest new deploy deployed ' +
    'release rollout to for of in on at from with about state status stuck pending crashing crash ' +
    'crashes crashloop unreachable reachable down failing failed fail broken not ready healthy health ' +
    'ok okay fine wrong going happening up show get check tell see look logs log errors error any fix ' +
    'repair resolve heal and keep keeps keeps restarting restarts started start starting work working ' +
    'there here some all give anything everything something think diagnose investigate wont cant doesnt isnt dont arent anymore'
  ).split(' '),
);

/** Lower-case words of a phrase without filler ("the backend API pods" → "backend api pods"). */
export function clean(phrase: string): string {
  return phrase
    .toLowerCase()
    .replace(/[^a-z0-9.\-/\s']/g, ' ')
    .replace(/'s\b/g, '')
    .split(/\s+/)
    .map((word) => word.replace(/[.']+$/, ''))
    .filter((word) => /[a-z0-9]/.test(word) && !FILLER.has(word.replace(/'/g, '')))
    .join(' ');
}
