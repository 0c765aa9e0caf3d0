import * as assert from 'node:assert/strict';
import {
  checkContent,
  checkValue,
  cleanServerText,
  coerceText,
  formContent,
  readForm,
  validationMessage,
  type FormField,
  type NumberField,
  type TextField,
} from '../../../../src/core/clientFeatures/elicitationForm';

/** server-everything's trigger-elicitation-request schema, trimmed to one of each kind. */
const EVERYTHING = {
  type: 'object',
  properties: {
    name: { title: 'String', type: 'string', description: 'Your full, legal name' },
    check: { title: 'Boolean', type: 'boolean' },
    firstLine: { type: 'string', default: 'It was a dark and stormy night.' },
    email: { type: 'string', format: 'email' },
    homepage: { type: 'string', format: 'uri' },
    birthdate: { type: 'string', format: 'date' },
    integer: { title: 'Integer', type: 'integer', minimum: 1, maximum: 100, default: 42 },
    number: { type: 'number', minimum: 0, maximum: 1000, default: 3.14 },
    untitled: { type: 'string', enum: ['Monica', 'Rachel'], default: 'Monica' },
    multi: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string', enum: ['Guitar', 'Piano', 'Violin', 'Drums'] }, default: ['Guitar'] },
    titled: { type: 'string', oneOf: [{ const: 'hero-1', title: 'Superman' }, { const: 'hero-2', title: 'Green Lantern' }], default: 'hero-1' },
    titledMulti: { type: 'array', items: { anyOf: [{ const: 'fish-1', title: 'Tuna' }, { const: 'fish-2', title: 'Salmon' }] } },
    legacy: { type: 'string', enum: ['pet-1', 'pet-2'], enumNames: ['Cats', 'Dogs'], default: 'pet-1' },
  },
  required: ['name'],
};

const field = <K extends FormField['kind']>(fields: readonly FormField[], name: string, kind: K) => {
  const found = fields.find((f) => f.name === name);
  assert.equal(found?.kind, kind, `${name} is a ${kind} field`);
  return found as Extract<FormField, { kind: K }>;
};

describe('elicitationForm', () => {
  describe('readForm', () => {
    it('reads every kind of field in the order the server gave, with required flags and defaults', () => {
      const form = readForm(EVERYTHING);
      assert.equal(form.blocked, undefined);
      assert.deepEqual(form.leftOut, []);
      assert.deepEqual(
        form.fields.map((f) => [f.name, f.kind, f.required]),
        [
          ['name', 'text', true],
          ['check', 'boolean', false],
          ['firstLine', 'text', false],
          ['email', 'text', false],
          ['homepage', 'text', false],
          ['birthdate', 'text', false],
          ['integer', 'number', false],
          ['number', 'number', false],
          ['untitled', 'choice', false],
          ['multi', 'multi', false],
          ['titled', 'choice', false],
          ['titledMulti', 'multi', false],
          ['legacy', 'choice', false],
        ],
      );
      assert.equal(form.fields[0]?.label, 'String');
      assert.equal(form.fields[0]?.description, 'Your full, legal name');
      assert.equal(field(form.fields, 'firstLine', 'text').default, 'It was a dark and stormy night.');
      assert.equal(field(form.fields, 'email', 'text').format, 'email');
      assert.deepEqual(field(form.fields, 'integer', 'number'), { name: 'integer', label: 'Integer', required: false, kind: 'number', integer: true, minimum: 1, maximum: 100, default: 42 });
      assert.equal(field(form.fields, 'number', 'number').integer, false);
      assert.deepEqual(field(form.fields, 'untitled', 'choice').options, [
        { value: 'Monica', label: 'Monica' },
        { value: 'Rachel', label: 'Rachel' },
      ]);
      const multi = field(form.fields, 'multi', 'multi');
      assert.deepEqual([multi.minItems, multi.maxItems, multi.default], [1, 3, ['Guitar']]);
      assert.deepEqual(field(form.fields, 'titled', 'choice').options[1], { value: 'hero-2', label: 'Green Lantern' });
      assert.deepEqual(field(form.fields, 'titledMulti', 'multi').options[0], { value: 'fish-1', label: 'Tuna' });
      assert.deepEqual(field(form.fields, 'legacy', 'choice').options[1], { value: 'pet-2', label: 'Dogs' });
    });

    it('drops a default the field itself would refuse', () => {
      const form = readForm({ type: 'object', properties: { n: { type: 'integer', maximum: 5, default: 9 }, c: { enum: ['a'], default: 'z' } } });
      assert.equal(field(form.fields, 'n', 'number').default, undefined);
      assert.equal(field(form.fields, 'c', 'choice').default, undefined);
    });

    it('leaves out an optional property it cannot show, saying why, and blocks on a required one', () => {
      const schema = { type: 'object', properties: { deep: { type: 'object', title: 'Deep' }, ok: { type: 'string' } } };
      const form = readForm(schema);
      assert.deepEqual(form.fields.map((f) => f.name), ['ok']);
      assert.equal(form.leftOut.length, 1);
      assert.match(form.leftOut[0]!.reason, /type "object" is not one a form can ask for/);
      const blocked = readForm({ ...schema, required: ['deep'] });
      assert.deepEqual(blocked.fields, []);
      assert.match(blocked.blocked ?? '', /asks for 'Deep', which cannot be shown: its type "object"/);
    });

    it('explains rules no answer can meet instead of showing an impossible field', () => {
      const cases: [unknown, RegExp][] = [
        [{ type: 'string', minLength: 5, maxLength: 2 }, /at least 5 and at most 2 characters/],
        [{ type: 'integer', minimum: 1.2, maximum: 1.8 }, /no integer lies between 1.2 and 1.8/],
        [{ type: 'number', minimum: 3, maximum: 1 }, /at least 3 and at most 1/],
        [{ type: 'array', minItems: 3, items: { enum: ['a', 'b'] } }, /at least 3 choices must be made, but it offers 2/],
        [{ type: 'array', items: { type: 'string' } }, /not a list of choices/],
        [{ type: 'number', enum: [1, 2] }, /choices are of type "number"/],
        [{ enum: [] }, /offers no choices/],
        [{ type: ['string', 'null'] }, /type \["string","null"\]/],
        ['just a string', /not a JSON object/],
      ];
      for (const [property, reason] of cases) {
        const form = readForm({ type: 'object', properties: { p: property } });
        assert.deepEqual(form.fields, [], JSON.stringify(property));
        assert.match(form.leftOut[0]?.reason ?? '', reason);
      }
    });

    it('refuses a schema that is not an object schema, without throwing', () => {
      for (const schema of [undefined, null, 42, 'x', [], { type: 'string' }, { type: 'object' }, { type: 'object', properties: [] }]) {
        const form = readForm(schema);
        assert.deepEqual(form.fields, []);
        assert.match(form.blocked ?? '', /not a JSON object schema/, JSON.stringify(schema));
      }
    });
  });

  describe('hostile schemas', () => {
    it('keeps __proto__ and constructor as plain property names, in the form and in the answer', () => {
      const schema: unknown = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string","title":"Proto"},"constructor":{"type":"boolean"}},"required":["__proto__"]}');
      const form = readForm(schema);
      assert.deepEqual(form.fields.map((f) => [f.name, f.required]), [['__proto__', true], ['constructor', false]]);
      const content = formContent([['__proto__', 'x'], ['constructor', true]]);
      assert.equal(Object.getPrototypeOf(content), Object.prototype, 'the answer keeps its prototype');
      assert.deepEqual(Object.keys(content), ['__proto__', 'constructor']);
      assert.deepEqual(checkContent(form, content), []);
      assert.deepEqual(checkContent(form, {}), ["'Proto' is required"], 'an inherited property is not an answer');
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    });

    it('bounds huge enums, absurd counts and lengths, and long or control-laden labels', () => {
      const huge = Array.from({ length: 100_000 }, (_, i) => `v${i}`);
      const form = readForm({ type: 'object', properties: { big: { enum: huge } } });
      assert.match(form.leftOut[0]?.reason ?? '', /offers 100000 choices; a form shows at most 1000/);
      const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, { type: 'string' }]));
      assert.match(readForm({ type: 'object', properties: many }).blocked ?? '', /asks for 500 fields; a form holds at most 50/);
      assert.match(readForm({ type: 'object', properties: { s: { type: 'string', minLength: 1e9 } } }).leftOut[0]?.reason ?? '', /more than a form accepts/);
      const long = readForm({ type: 'object', properties: { s: { type: 'string', maxLength: 1e12, title: `${'A'.repeat(5000)}`, description: 'x\u202Eevil\u0000\nline' } } });
      const s = field(long.fields, 's', 'text');
      assert.equal([...s.label].length, 120);
      assert.ok(s.label.endsWith('…'));
      assert.equal(s.description, 'xevil line', 'bidi overrides and control characters are gone');
      assert.match(validationMessage(s, 'y'.repeat(10_001)) ?? '', /at most 10000 characters/, 'a form never accepts more than 10000 characters');
    });

    it('does not run a pattern that could backtrack for ever, and never throws on a broken one', () => {
      const fields = readForm({
        type: 'object',
        properties: { evil: { type: 'string', pattern: '^(a+)+$' }, broken: { type: 'string', pattern: '([' }, ok: { type: 'string', pattern: '^[a-z]+-\\d+$' } },
      }).fields;
      assert.equal(field(fields, 'evil', 'text').pattern, undefined);
      assert.equal(field(fields, 'broken', 'text').pattern, undefined);
      const ok = field(fields, 'ok', 'text');
      assert.equal(validationMessage(ok, 'abc-12'), undefined);
      assert.equal(validationMessage(ok, 'abc'), 'must match the pattern ^[a-z]+-\\d+$');
    });
  });

  describe('validation and coercion', () => {
    const form = readForm(EVERYTHING);
    const text = (name: string) => field(form.fields, name, 'text');
    const number = (name: string) => field(form.fields, name, 'number');

    it('says what a number must be, whatever is wrong with it', () => {
      const integer: NumberField = { name: 'n', label: 'n', required: true, kind: 'number', integer: true, minimum: 1, maximum: 10 };
      for (const typed of ['abc', '0', '11', '2.5', '1e400', '0x10', ' ']) {
        const expected = typed.trim() === '' ? 'is required: enter a value' : 'must be an integer between 1 and 10';
        assert.deepEqual(coerceText(integer, typed), { error: expected }, typed);
      }
      assert.deepEqual(coerceText(integer, ' 7 '), { value: 7 });
      assert.deepEqual(coerceText(number('number'), '2.5e2'), { value: 250 });
      assert.equal(validationMessage(number('number'), '-1'), 'must be a number between 0 and 1000');
      assert.equal(validationMessage({ ...integer, maximum: undefined } as NumberField, '0'), 'must be an integer of at least 1');
      assert.equal(validationMessage({ name: 'x', label: 'x', required: false, kind: 'number', integer: false }, 'x'), 'must be a number');
      assert.deepEqual(coerceText(number('integer'), ''), { skip: true }, 'an optional field can be left empty');
    });

    it('checks text formats and lengths with messages that show the expected form', () => {
      assert.equal(validationMessage(text('email'), 'ada'), 'must be an email address, like name@example.com');
      assert.equal(validationMessage(text('email'), 'ada@example.com'), undefined);
      assert.equal(validationMessage(text('homepage'), 'example.com'), 'must be a full URI, like https://example.com/page');
      assert.equal(validationMessage(text('homepage'), 'https://example.com/x'), undefined);
      assert.equal(validationMessage(text('birthdate'), '2026-02-30'), 'must be a date as YYYY-MM-DD, like 2026-12-03');
      assert.equal(validationMessage(text('birthdate'), '2024-02-29'), undefined);
      const when: TextField = { name: 'w', label: 'w', required: true, kind: 'text', format: 'date-time' };
      assert.equal(validationMessage(when, '2026-12-03T09:30:00Z'), undefined);
      assert.equal(validationMessage(when, '2026-12-03T09:30:00+01:00'), undefined);
      assert.match(validationMessage(when, '2026-12-03 9:30') ?? '', /YYYY-MM-DDTHH:MM:SSZ/);
      const sized: TextField = { name: 's', label: 's', required: true, kind: 'text', minLength: 2, maxLength: 4 };
      assert.equal(validationMessage(sized, 'a'), 'must be between 2 and 4 characters (now 1)');
      assert.equal(validationMessage(sized, '😀😀'), undefined, 'characters, not UTF-16 units');
      assert.equal(validationMessage(text('name'), ''), 'is required: enter a value');
      assert.deepEqual(coerceText(text('name'), '  Ada '), { value: '  Ada ' }, 'text is sent as typed');
    });

    it('checks choices, yes/no and multiple choices', () => {
      assert.equal(checkValue(field(form.fields, 'titled', 'choice'), 'hero-2'), undefined);
      assert.equal(checkValue(field(form.fields, 'titled', 'choice'), 'Superman'), 'must be one of the choices offered', 'the title is not the value');
      assert.equal(checkValue(field(form.fields, 'check', 'boolean'), 'true'), 'must be yes or no');
      const multi = field(form.fields, 'multi', 'multi');
      assert.equal(checkValue(multi, []), 'choose between 1 and 3');
      assert.equal(checkValue(multi, ['Guitar', 'Piano', 'Violin', 'Drums']), 'choose between 1 and 3');
      assert.equal(checkValue(multi, ['Guitar', 'Guitar']), 'must not choose the same thing twice');
      assert.equal(checkValue(multi, ['Banjo']), 'must be choices among those offered');
      assert.equal(checkValue(multi, ['Piano', 'Drums']), undefined);
    });
  });

  describe('checkContent', () => {
    it('accepts a complete answer and names every field that is wrong, missing or unknown', () => {
      const form = readForm(EVERYTHING);
      assert.deepEqual(checkContent(form, { name: 'Ada', integer: 5, multi: ['Piano'], check: true }), []);
      assert.deepEqual(checkContent(form, { integer: 500, multi: [], extra: 1 }), [
        "'String' is required",
        "'Integer' must be an integer between 1 and 100",
        "'multi' choose between 1 and 3",
        "'extra' is not a field of this form",
      ]);
    });
  });

  describe('cleanServerText', () => {
    it('shows a server message as one trimmed line without control or direction characters', () => {
      assert.equal(cleanServerText('  Please\r\n\tconfirm\u0007 \u2066this\u2069  ', 100), 'Please confirm this');
      assert.equal(cleanServerText('x'.repeat(50), 10), `${'x'.repeat(9)}…`);
      assert.equal(cleanServerText('', 10), '');
    });
  });
});
