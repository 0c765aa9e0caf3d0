/**
 * RFC 6570 URI templates (levels 1–4) for resource templates, with string values: what a user types into the
 * variables of a template. Written here because the SDK's `UriTemplate` gets several level 3–4 expressions wrong
 * (`{/a,b}` gives `a,b`, `{;x,y}` drops `x`, `{var:3}` gives nothing) and no other package here expands templates.
 */

interface Operator {
  readonly first: string;
  readonly separator: string;
  readonly named: boolean;
  /** What follows the name of an empty value: `;x` but `?x=`. */
  readonly ifEmpty: string;
  /** Reserved characters pass unencoded (`+` and `#`). */
  readonly reserved: boolean;
}

const OPERATORS: Record<string, Operator> = {
  '': { first: '', separator: ',', named: false, ifEmpty: '', reserved: false },
  '+': { first: '', separator: ',', named: false, ifEmpty: '', reserved: true },
  '#': { first: '#', separator: ',', named: false, ifEmpty: '', reserved: true },
  '.': { first: '.', separator: '.', named: false, ifEmpty: '', reserved: false },
  '/': { first: '/', separator: '/', named: false, ifEmpty: '', reserved: false },
  ';': { first: ';', separator: ';', named: true, ifEmpty: '', reserved: false },
  '?': { first: '?', separator: '&', named: true, ifEmpty: '=', reserved: false },
  '&': { first: '&', separator: '&', named: true, ifEmpty: '=', reserved: false },
};

interface VariableSpec {
  readonly name: string;
  readonly prefix?: number;
}

type Part = string | { readonly operator: Operator; readonly variables: readonly VariableSpec[] };

const VARIABLE = /^((?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*)(?::([1-9]\d{0,3})|\*)?$/;

/** A parsed URI template: its variables, and the URI for given values. */
export class UriTemplate {
  private readonly parts: readonly Part[];
  /** The variables, in template order, each once. */
  readonly variables: readonly string[];

  /** Throws with what is wrong for a template that is not RFC 6570. */
  constructor(readonly template: string) {
    this.parts = parse(template);
    const names = this.parts.flatMap((part) => (typeof part === 'string' ? [] : part.variables.map((v) => v.name)));
    this.variables = [...new Set(names)];
  }

  /** The URI; a variable without a value (or absent) is left out as RFC 6570 says. */
  expand(values: Readonly<Record<string, string | undefined>>): string {
    return this.parts.map((part) => (typeof part === 'string' ? encodeLiteral(part) : expandExpression(part.operator, part.variables, values))).join('');
  }
}

function parse(template: string): Part[] {
  const parts: Part[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (open === -1) {
      if (close !== -1) throw new Error(`URI template '${template}': a '}' without its '{'`);
      parts.push(rest);
      break;
    }
    if (close !== -1 && close < open) throw new Error(`URI template '${template}': a '}' without its '{'`);
    if (open > 0) parts.push(rest.slice(0, open));
    const end = rest.indexOf('}', open);
    if (end === -1) throw new Error(`URI template '${template}': an expression is not closed`);
    parts.push(parseExpression(rest.slice(open + 1, end), template));
    rest = rest.slice(end + 1);
  }
  return parts;
}

function parseExpression(expression: string, template: string): Part {
  const symbol = expression.charAt(0);
  const operator = OPERATORS[symbol] && symbol !== '' ? OPERATORS[symbol] : undefined;
  const list = operator ? expression.slice(1) : expression;
  const variables = list.split(',').map((spec): VariableSpec => {
    const match = VARIABLE.exec(spec);
    if (!match) throw new Error(`URI template '${template}': '${spec}' is not a variable`);
    return { name: match[1]!, ...(match[2] !== undefined && { prefix: Number(match[2]) }) };
  });
  return { operator: operator ?? OPERATORS['']!, variables };
}

function expandExpression(operator: Operator, variables: readonly VariableSpec[], values: Readonly<Record<string, string | undefined>>): string {
  const expanded: string[] = [];
  for (const variable of variables) {
    const raw = values[variable.name];
    if (raw === undefined) continue;
    const value = variable.prefix !== undefined ? [...raw].slice(0, variable.prefix).join('') : raw;
    const encoded = encode(value, operator.reserved);
    if (!operator.named) expanded.push(encoded);
    else expanded.push(value === '' ? `${variable.name}${operator.ifEmpty}` : `${variable.name}=${encoded}`);
  }
  return expanded.length === 0 ? '' : operator.first + expanded.join(operator.separator);
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

/** Percent-encodes all but unreserved characters (and, for `+`/`#`, reserved ones and existing %XX triplets). */
function encode(value: string, allowReserved: boolean): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const char = value.charAt(i);
    if (allowReserved && char === '%' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      out += value.slice(i, i + 3);
      i += 2;
    } else if (UNRESERVED.test(char) || (allowReserved && RESERVED.test(char))) {
      out += char;
    } else {
      const codePoint = value.codePointAt(i)!;
      const whole = String.fromCodePoint(codePoint);
      if (whole.length === 2) i++;
      out += encodeURIComponent(whole).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    }
  }
  return out;
}

/** Literal text of the template: kept, except characters a URI cannot hold. */
function encodeLiteral(literal: string): string {
  return encode(literal, true);
}
