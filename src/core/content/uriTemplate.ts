import { parseTemplate } from 'url-template';

/**
 * RFC 6570 URI templates (levels 1–4) for resource templates, with string values: what a user types into the
 * variables of a template. Expansion is `url-template`'s (RFC 6570 compliant); the SDK's `UriTemplate` gets several
 * level 3–4 expressions wrong (`{/a,b}` gives `a,b`, `{;x,y}` drops `x`, `{var:3}` gives nothing). What is left here
 * is what that library does not offer: the list of variables to ask for, and refusing a template that is not one.
 */
export class UriTemplate {
  /** The variables, in template order, each once. */
  readonly variables: readonly string[];
  private readonly expander: { expand(context: Record<string, string>): string };

  constructor(readonly template: string) {
    this.variables = variablesOf(template);
    this.expander = parseTemplate(template);
  }

  /** The URI for these values; a variable without a value (undefined) is left out, as RFC 6570 says. */
  expand(values: Readonly<Record<string, string | undefined>>): string {
    const defined = Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
    return this.expander.expand(defined);
  }
}

const OPERATOR = /^[+#./;?&]/;
const VARIABLE = /^((?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*)(?::[1-9]\d{0,3}|\*)?$/;

/** The variable names of the template's expressions; throws, saying where, for a template that is not RFC 6570. */
function variablesOf(template: string): string[] {
  const names: string[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (close !== -1 && (open === -1 || close < open)) throw new Error(`'}' without its '{' in ${template}`);
    if (open === -1) break;
    if (close === -1) throw new Error(`an expression is not closed in ${template}`);
    for (const spec of rest.slice(open + 1, close).replace(OPERATOR, '').split(',')) {
      const name = VARIABLE.exec(spec)?.[1];
      if (name === undefined) throw new Error(`'${spec}' is not a variable in ${template}`);
      if (!names.includes(name)) names.push(name);
    }
    rest = rest.slice(close + 1);
  }
  return names;
}
