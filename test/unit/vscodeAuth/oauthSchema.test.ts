import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOAuthField } from '../../../src/core/config/oauthField';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8'));
const schema = manifest.contributes.configuration.properties['mcpWarden.servers'].additionalProperties.properties.oauth as {
  properties: Record<string, { enum?: string[]; markdownDescription?: string }>;
};

/** The list a parser message names after `prefix`, e.g. "(allowed: a, b)" or "must be one of a, b". */
function listAfter(message: string | undefined, prefix: RegExp): string[] {
  const match = prefix.exec(message ?? '');
  assert.ok(match, `no list in: ${message}`);
  return match[1]!.split(', ').sort();
}

describe('the oauth schema in package.json', () => {
  it('offers exactly the fields the settings parser accepts', () => {
    const { problems } = parseOAuthField({ notAField: true }, 'k');
    assert.deepEqual(Object.keys(schema.properties).sort(), listAfter(problems[0]?.message, /\(allowed: ([^)]+)\)/));
  });

  it('offers exactly the values the parser accepts for grant, clientAuth and signingAlgorithm', () => {
    for (const field of ['grant', 'clientAuth', 'signingAlgorithm']) {
      const { problems } = parseOAuthField({ [field]: 'no-such-value' }, 'k');
      assert.deepEqual([...(schema.properties[field]?.enum ?? [])].sort(), listAfter(problems[0]?.message, /must be one of (.+)$/), field);
    }
  });

  it('describes every field, and the secrets as ${input:…} references', () => {
    for (const [field, property] of Object.entries(schema.properties)) assert.ok(property.markdownDescription, field);
    for (const field of ['clientSecret', 'privateKey']) assert.match(schema.properties[field]!.markdownDescription!, /\$\{input:id\}/, field);
  });
});
