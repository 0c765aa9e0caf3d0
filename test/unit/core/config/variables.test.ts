import * as assert from 'node:assert/strict';
import { checkVariables, inputIds, isPublicEnvVariable, substituteVariables, VariableError } from '../../../../src/core/config/variables';

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

describe('${env:NAME} values', () => {
  it('are reported as they are replaced, so they can be kept out of logs', () => {
    const heard: [string, string][] = [];
    substituteVariables('${env:TOKEN_VAR}/${env:UNSET}/${userHome}', context, new Map(), (name, value) => heard.push([name, value]));
    assert.deepEqual(heard, [['TOKEN_VAR', 'abc'], ['UNSET', '']]);
  });

  it('count as public only for the machine layout and locale variables', () => {
    for (const name of ['HOME', 'USER', 'PATH', 'Path', 'PWD', 'SHELL', 'TMPDIR', 'LANG', 'LC_ALL', 'LC_CTYPE', 'XDG_CONFIG_HOME', 'XDG_RUNTIME_DIR', 'JAVA_HOME', 'USERPROFILE', 'APPDATA']) {
      assert.equal(isPublicEnvVariable(name), true, name);
    }
    for (const name of ['MY_KEY', 'GITHUB_TOKEN', 'DATABASE_URL', 'API_HOST', 'HOMEPAGE_TOKEN', 'PATHOLOGY_KEY', 'SESSION']) {
      assert.equal(isPublicEnvVariable(name), false, name);
    }
  });
});
