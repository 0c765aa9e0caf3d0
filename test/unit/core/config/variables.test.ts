import * as assert from 'node:assert/strict';
import { checkVariables, inputIds, substituteVariables, VariableError } from '../../../../src/core/config/variables';

const context = {
  workspaceFolders: [
    { name: 'app', path: '/work/app' },
    { name: 'lib', path: '/work/lib' },
  ],
  userHome: '/home/dev',
  env: { TOKEN_VAR: 'abc' },
  pathSeparator: '/',
};

describe('variables', () => {
  it('replaces every supported variable', () => {
    const inputs = new Map([['key', 's3cret']]);
    assert.equal(substituteVariables('${workspaceFolder}/x', context, inputs), '/work/app/x');
    assert.equal(substituteVariables('${workspaceFolder:lib}${/}y', context, inputs), '/work/lib/y');
    assert.equal(substituteVariables('${userHome}/.config', context, inputs), '/home/dev/.config');
    assert.equal(substituteVariables('Bearer ${input:key}', context, inputs), 'Bearer s3cret');
    assert.equal(substituteVariables('${env:TOKEN_VAR}-${env:UNSET}', context, inputs), 'abc-');
    assert.equal(substituteVariables('no variables', context, inputs), 'no variables');
  });

  it('names what is wrong', () => {
    assert.throws(() => substituteVariables('${workspaceFolder:nope}', context, new Map()), (e: unknown) => e instanceof VariableError && /no workspace folder is named 'nope'/.test(e.message));
    assert.throws(() => substituteVariables('${input:missing}', context, new Map()), /no value was given for \$\{input:missing\}/);
    assert.throws(() => substituteVariables('${workspaceFolder}', { ...context, workspaceFolders: [] }, new Map()), /needs an open folder/);
    assert.deepEqual(checkVariables('${config:x} ${env:} ${input:ok}'), [
      'unknown variable ${config:x}; use ${workspaceFolder}, ${workspaceFolder:name}, ${userHome}, ${env:NAME} or ${input:id}',
      'unknown variable ${env:}; use ${workspaceFolder}, ${workspaceFolder:name}, ${userHome}, ${env:NAME} or ${input:id}',
    ]);
  });

  it('lists input ids once, in order of use', () => {
    assert.deepEqual(inputIds(['${input:b} ${input:a}', '${input:b}', '${env:X}']), ['b', 'a']);
  });
});
