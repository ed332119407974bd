/**
 * Parser of the `sh -c` subset that debugging pods and Jobs use in practice: simple
 * commands joined by `;`, newlines, `&&`, `||` and `|`; redirections; `while`/`for`/`if`;
 * single and double quotes; `$VAR`, `${VAR}`, `${VAR:-default}`, `$?`. No subshells,
 * functions or command substitution: those parse as literal words.
 */
export type WordPart =
  { kind: 'lit'; text: string } | { kind: 'var'; name: string; fallback?: string };
export type Word = WordPart[];

export interface Redirect {
  fd: 1 | 2;
  /** Target file, or 'fd1'/'fd2' for `2>&1`. */
  target: Word | 'fd1';
  append: boolean;
}
export interface SimpleCommand {
  type: 'simple';
  words: Word[];
  redirects: Redirect[];
}
export interface Pipeline {
  type: 'pipeline';
  commands: Command[];
}
export interface AndOr {
  type: 'andor';
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}
export type Command =
  | SimpleCommand
  | { type: 'while'; until: boolean; condition: AndOr[]; body: AndOr[] }
  | { type: 'for'; variable: string; items: Word[]; body: AndOr[] }
  | { type: 'if'; branches: { condition: AndOr[]; body: AndOr[] }[]; otherwise: AndOr[] };

type Token = { t: 'word'; word: Word; raw: string } | { t: 'op'; op: string };

const OPS = ['&&', '||', '>&2', '>&1', '>>', ';', '\n', '|', '&', '>', '<'];

export class ShellSyntaxError extends Error {}

function readVar(src: string, i: number): { part: WordPart; next: number } | undefined {
  const c = src[i + 1];
  if (c === '{') {
    const end = src.indexOf('}', i + 2);
    if (end < 0) throw new ShellSyntaxError('syntax error: bad substitution');
    const body = src.slice(i + 2, end);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|\?)(?::?-(.*))?$/.exec(body);
    if (!m) throw new ShellSyntaxError(`syntax error: bad substitution \${${body}}`);
    const part: WordPart = { kind: 'var', name: m[1] ?? '' };
    if (m[2] !== undefined) part.fallback = m[2];
    return { part, next: end + 1 };
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*|\?|\$|#)/.exec(src.slice(i + 1));
  if (!m) return undefined;
  return { part: { kind: 'var', name: m[1] ?? '' }, next: i + 1 + (m[1]?.length ?? 0) };
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ t: 'op', op });
      i += op.length;
      continue;
    }
    const parts: WordPart[] = [];
    const start = i;
    const lit = (text: string) => {
      const last = parts[parts.length - 1];
      if (last?.kind === 'lit') last.text += text;
      else parts.push({ kind: 'lit', text });
    };
    // `$NAME` / `${NAME}` at i (inside or outside double quotes); a lone `$` is literal.
    const dollar = () => {
      const v = readVar(src, i);
      if (v) {
        parts.push(v.part);
        i = v.next;
      } else {
        lit('$');
        i++;
      }
    };
    while (i < src.length) {
      const ch = src[i] ?? '';
      if (/[\s;&|<>]/.test(ch)) break;
      if (ch === "'") {
        const end = src.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
        lit(src.slice(i + 1, end));
        i = end + 1;
      } else if (ch === '"') {
        i++;
        lit('');
        while (i < src.length && src[i] !== '"') {
          const d = src[i] ?? '';
          if (d === '\\' && /["\\$`]/.test(src[i + 1] ?? '')) {
            lit(src[i + 1] ?? '');
            i += 2;
          } else if (d === '$') {
            dollar();
          } else {
            lit(d);
            i++;
          }
        }
        if (src[i] !== '"') throw new ShellSyntaxError('syntax error: unterminated quoted string');
        i++;
      } else if (ch === '\\') {
        lit(src[i + 1] ?? '');
        i += 2;
      } else if (ch === '$') {
        dollar();
      } else {
        lit(ch);
        i++;
      }
    }
    const raw = src.slice(start, i);
    // `2>file` / `1>file`: a file-descriptor prefix belongs to the redirect that follows.
    if (/^[12]$/.test(raw) && src[i] === '>') {
      const dup = src.startsWith('>&1', i) || src.startsWith('>&2', i);
      const fdOp = dup ? (raw === '2' ? '2>&1' : '>&2') : raw === '2' ? '2>' : '>';
      tokens.push({ t: 'op', op: fdOp });
      i += dup ? 3 : 1;
      continue;
    }
    tokens.push({ t: 'word', word: parts, raw });
  }
  return tokens;
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private isKeyword(name: string): boolean {
    const t = this.peek();
    return t?.t === 'word' && t.raw === name;
  }
  private expectKeyword(name: string): void {
    this.skipSeparators();
    if (!this.isKeyword(name)) throw new ShellSyntaxError(`syntax error: expected "${name}"`);
    this.pos++;
  }
  private skipSeparators(): void {
    let t = this.peek();
    while (t?.t === 'op' && (t.op === ';' || t.op === '\n' || t.op === '&')) {
      this.pos++;
      t = this.peek();
    }
  }

  list(terminators: string[]): AndOr[] {
    const items: AndOr[] = [];
    for (;;) {
      this.skipSeparators();
      const t = this.peek();
      if (t === undefined || (t.t === 'word' && terminators.includes(t.raw))) return items;
      items.push(this.andOr());
    }
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = this.peek();
      if (t?.t !== 'op' || (t.op !== '&&' && t.op !== '||')) return { type: 'andor', first, rest };
      this.pos++;
      while (this.peek()?.t === 'op' && (this.peek() as { op: string }).op === '\n') this.pos++;
      rest.push({ op: t.op, pipeline: this.pipeline() });
    }
  }

  private pipeline(): Pipeline {
    const commands = [this.command()];
    while (this.peek()?.t === 'op' && (this.peek() as { op: string }).op === '|') {
      this.pos++;
      commands.push(this.command());
    }
    return { type: 'pipeline', commands };
  }

  private command(): Command {
    if (this.isKeyword('while') || this.isKeyword('until')) {
      const until = this.isKeyword('until');
      this.pos++;
      const condition = this.list(['do']);
      this.expectKeyword('do');
      const body = this.list(['done']);
      this.expectKeyword('done');
      return { type: 'while', until, condition, body };
    }
    if (this.isKeyword('for')) {
      this.pos++;
      const v = this.peek();
      if (v?.t !== 'word') throw new ShellSyntaxError('syntax error: bad for loop variable');
      this.pos++;
      const items: Word[] = [];
      if (this.isKeyword('in')) {
        this.pos++;
        for (let t = this.peek(); t?.t === 'word'; t = this.peek()) {
          items.push(t.word);
          this.pos++;
        }
      }
      this.expectKeyword('do');
      const body = this.list(['done']);
      this.expectKeyword('done');
      return { type: 'for', variable: v.raw, items, body };
    }
    if (this.isKeyword('if')) {
      this.pos++;
      const branches: { condition: AndOr[]; body: AndOr[] }[] = [];
      let otherwise: AndOr[] = [];
      for (;;) {
        const condition = this.list(['then']);
        this.expectKeyword('then');
        const body = this.list(['elif', 'else', 'fi']);
        branches.push({ condition, body });
        if (this.isKeyword('elif')) {
          this.pos++;
          continue;
        }
        if (this.isKeyword('else')) {
          this.pos++;
          otherwise = this.list(['fi']);
        }
        this.expectKeyword('fi');
        return { type: 'if', branches, otherwise };
      }
    }
    return this.simple();
  }

  private simple(): SimpleCommand {
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const t = this.peek();
      if (t === undefined) break;
      if (t.t === 'word') {
        words.push(t.word);
        this.pos++;
        continue;
      }
      if (t.op === '>&2' || t.op === '>&1') {
        this.pos++;
        continue;
      }
      if (t.op === '2>&1') {
        redirects.push({ fd: 2, target: 'fd1', append: false });
        this.pos++;
        continue;
      }
      if (t.op === '>' || t.op === '>>' || t.op === '2>' || t.op === '<') {
        this.pos++;
        const target = this.peek();
        if (target?.t !== 'word')
          throw new ShellSyntaxError(`syntax error: unexpected redirection`);
        this.pos++;
        if (t.op !== '<')
          redirects.push({ fd: t.op === '2>' ? 2 : 1, target: target.word, append: t.op === '>>' });
        continue;
      }
      break;
    }
    if (words.length === 0 && redirects.length === 0) {
      const t = this.peek();
      throw new ShellSyntaxError(
        `syntax error: unexpected "${t?.t === 'op' ? t.op.replace('\n', 'newline') : 'end of file'}"`,
      );
    }
    return { type: 'simple', words, redirects };
  }

  done(): boolean {
    return this.pos >= this.tokens.length;
  }
  rest(): string {
    const t = this.peek();
    return t === undefined ? 'end of file' : t.t === 'word' ? t.raw : t.op;
  }
}

export function parseShell(src: string): AndOr[] {
  const parser = new Parser(tokenize(src));
  const list = parser.list([]);
  if (!parser.done()) throw new ShellSyntaxError(`syntax error: unexpected "${parser.rest()}"`);
  return list;
}
