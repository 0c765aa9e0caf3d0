/** Turns a tool's input schema into the questions a user answers to call it by hand. */

export type ArgumentKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

export interface ArgumentField {
  readonly name: string;
  readonly kind: ArgumentKind;
  readonly required: boolean;
  readonly description?: string;
  readonly enumValues?: readonly unknown[];
  readonly defaultValue?: unknown;
}

/** The top-level properties of an object schema, required ones first. */
export function argumentFields(inputSchema: Readonly<Record<string, unknown>>): ArgumentField[] {
  const properties = isObject(inputSchema['properties']) ? inputSchema['properties'] : {};
  const required = new Set(Array.isArray(inputSchema['required']) ? inputSchema['required'].filter((r) => typeof r === 'string') : []);
  const fields = Object.entries(properties).map(([name, raw]): ArgumentField => {
    const schema = isObject(raw) ? raw : {};
    const description = typeof schema['description'] === 'string' ? schema['description'] : undefined;
    return {
      name,
      kind: kindOf(schema),
      required: required.has(name),
      ...(description !== undefined && { description }),
      ...(Array.isArray(schema['enum']) && { enumValues: schema['enum'] }),
      ...('default' in schema && { defaultValue: schema['default'] }),
    };
  });
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

/** Converts what the user typed for a field into its value; `undefined` text means the optional field is left out. */
export function parseArgument(field: ArgumentField, text: string): { readonly value: unknown } | { readonly error: string } {
  switch (field.kind) {
    case 'string':
      return { value: text };
    case 'number':
    case 'integer': {
      const value = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(value)) return { error: `'${field.name}' must be a number` };
      if (field.kind === 'integer' && !Number.isInteger(value)) return { error: `'${field.name}' must be a whole number` };
      return { value };
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return { value: text === 'true' };
      return { error: `'${field.name}' must be true or false` };
    case 'enum':
    case 'json':
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return { error: `'${field.name}' must be JSON, e.g. ${field.kind === 'json' ? '{"key": "value"} or [1, 2]' : '"a"'}` };
      }
  }
}

function kindOf(schema: Record<string, unknown>): ArgumentKind {
  if (Array.isArray(schema['enum'])) return 'enum';
  const type = Array.isArray(schema['type']) ? schema['type'].find((t) => t !== 'null') : schema['type'];
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') return type;
  return 'json';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
