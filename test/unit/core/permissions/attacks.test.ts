// Attacks on the permission core, as a hostile repository (grants and definitions in its settings), a hostile server
// (definitions, annotations, declarations, request parameters) or a careless user would make them. Each test names
// the protection it checks; without it the test fails.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { StdioServerDefinition } from '../../../../src/core/config/serverDefinition';
import type { VariableContext } from '../../../../src/core/config/variables';
import { displayText, MAX_REASON_CHARS, MAX_SERVER_DECLARATIONS, parseServerDeclarations } from '../../../../src/core/permissions/declarations';
import { toolPin } from '../../../../src/core/permissions/definitionPins';
import { describeLaunch } from '../../../../src/core/permissions/launchIdentity';
import type { Grant, GrantStatus, Hasher, Permission, PermissionRequest, WorkspaceGrant } from '../../../../src/core/permissions/permission';
import { PermissionGate, type GateOptions } from '../../../../src/core/permissions/permissionGate';
import { parseAbsolutePath } from '../../../../src/core/permissions/pathTargets';
import { PinCache, permissionForRequest } from '../../../../src/core/permissions/requestPermissions';
import { compileTarget, matchSpecificity, type MatchOptions } from '../../../../src/core/permissions/targetMatching';
import type { ServerCatalog } from '../../../../src/core/lifecycle/session';

const sha256: Hasher = { sha256: (text) => createHash('sha256').update(text).digest('hex') };
const AT = '2026-12-02T10:00:00.000Z';
const options: GateOptions = { annotationDefaults: {}, workspaceFolders: ['/ws'], caseInsensitivePaths: false };

const request = (permission: Permission, extra: Partial<PermissionRequest> = {}): PermissionRequest => ({ server: 'files', session: 's1', permission, ...extra });
const grant = (permission: Permission, decision: Grant['decision'], extra: Partial<Grant> = {}): Grant => ({
  server: 'files',
  ...permission,
  decision,
  scope: 'workspace',
  grantedAt: AT,
  ...extra,
});
function gateWith(grants: (Grant | [Grant, GrantStatus])[], gateOptions: Partial<GateOptions> = {}): PermissionGate {
  const gate = new PermissionGate({ ...options, ...gateOptions });
  gate.setWorkspaceGrants(grants.map((g): WorkspaceGrant => (Array.isArray(g) ? { grant: g[0], status: g[1] } : { grant: g, status: 'sealed' })));
  return gate;
}
const posix: MatchOptions = { caseInsensitivePaths: false };
const covers = (kind: Permission['kind'], grantTarget: string, requestTarget: string, matchOptions = posix) =>
  matchSpecificity(compileTarget(kind, grantTarget, matchOptions), compileTarget(kind, requestTarget, matchOptions, true)) >= 0;

describe('attacks on the permission core', () => {
  describe('a hostile repository', () => {
    it('an unpinned allow (written by hand or proposed) approves no launch and no definition', () => {
      // Confirmed once, an unpinned launch grant would let the repository change the command ever after.
      const gate = gateWith([
        [grant({ kind: 'launch', target: '' }, 'allow'), 'confirmed'],
        [grant({ kind: 'tool', target: 'search' }, 'allow'), 'sealed'],
        [grant({ kind: 'prompt', target: 'review' }, 'allow'), 'confirmed'],
      ]);
      assert.equal(gate.decide(request({ kind: 'launch', target: '' }, { pin: 'launch-1' })).verdict, 'ask');
      assert.equal(gate.decide(request({ kind: 'tool', target: 'search' }, { pin: 'def-1' })).verdict, 'ask');
      assert.equal(gate.decide(request({ kind: 'prompt', target: 'review' }, { pin: 'def-1' })).verdict, 'ask');
      // A prompt the server does not list has no pin: the grant made for it covers it.
      assert.equal(gate.decide(request({ kind: 'prompt', target: 'review' })).verdict, 'allow');
      // A deny needs no pin: it denies every definition.
      const denied = gateWith([grant({ kind: 'tool', target: 'search' }, 'deny')]);
      assert.equal(denied.decide(request({ kind: 'tool', target: 'search' }, { pin: 'any' })).verdict, 'deny');
    });

    it('a grant names one server: the same tool name on another server is not covered', () => {
      const gate = gateWith([grant({ kind: 'tool', target: 'delete_repo' }, 'allow', { server: 'harmless', pin: 'p' })]);
      assert.equal(gate.decide({ ...request({ kind: 'tool', target: 'delete_repo' }, { pin: 'p' }), server: 'github' }).verdict, 'ask');
    });

    it('tampered and proposed grants decide nothing; an untrusted workspace honours none', () => {
      const allowEcho = grant({ kind: 'tool', target: 'echo' }, 'allow', { pin: 'p' });
      const echo = request({ kind: 'tool', target: 'echo' }, { pin: 'p' });
      assert.equal(gateWith([[allowEcho, 'tampered']]).decide(echo).verdict, 'ask');
      assert.equal(gateWith([[allowEcho, 'tampered']]).decide(echo).proposed, undefined, 'a tampered grant is not even offered');
      assert.ok(gateWith([[allowEcho, 'proposed']]).decide(echo).proposed);
      const untrusted = gateWith([allowEcho]);
      untrusted.setTrusted(false);
      assert.equal(untrusted.decide(echo).verdict, 'ask');
      assert.equal(untrusted.decide(echo).proposed, undefined, 'nothing is even proposed in an untrusted workspace');
    });

    it('tool names compare exactly: case and Unicode lookalikes are other tools', () => {
      const gate = gateWith([grant({ kind: 'tool', target: 'search' }, 'allow', { pin: 'p' })]);
      for (const name of ['Search', 'SEARCH', 'sеarch' /* Cyrillic е */, 'search ', 'search\u200b', 's\u0065\u0301arch']) {
        assert.equal(gate.decide(request({ kind: 'tool', target: name }, { pin: 'p' })).verdict, 'ask', JSON.stringify(name));
      }
    });

    it('prototype names (__proto__, constructor, toString) are ordinary names of servers and targets', () => {
      const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
      const gate = gateWith(names.map((name) => grant({ kind: 'tool', target: name }, 'allow', { server: name, pin: 'p' })));
      for (const name of names) {
        assert.equal(gate.decide({ ...request({ kind: 'tool', target: name }, { pin: 'p' }), server: name }).verdict, 'allow');
        assert.equal(gate.decide(request({ kind: 'tool', target: name }, { pin: 'p' })).verdict, 'ask', `server 'files' gets nothing from '${name}'`);
      }
      assert.equal(gateWith([]).decide({ ...request({ kind: 'tool', target: '__proto__' }), server: '__proto__' }).verdict, 'ask');
    });

    it('a folder grant written with `..` or a trailing slash covers what it names and nothing above it', () => {
      const gate = gateWith([grant({ kind: 'fs.write', target: '/ws/a/../build/' }, 'allow')]);
      const decide = (path: string) => gate.decide(request({ kind: 'fs.write', target: path })).verdict;
      assert.equal(decide('/ws/build/site.html'), 'allow');
      assert.equal(decide('/ws/a/x'), 'ask');
      assert.equal(decide('/ws/build/../../etc/passwd'), 'ask');
      assert.equal(decide('/ws/buildx'), 'ask', 'a sibling sharing the prefix');
      assert.equal(gateWith([grant({ kind: 'fs.write', target: '/../../..' }, 'allow')]).decide(request({ kind: 'fs.write', target: '/etc' })).verdict, 'ask', 'climbing above the root is no grant on /');
    });

    it('a launch pin changes with everything that changes what runs (env values such as NODE_OPTIONS, env files, cwd, secrets switched to literals)', () => {
      const variables: VariableContext = { workspaceFolders: [{ name: 'ws', path: '/ws' }], userHome: '/home/me', env: {}, pathSeparator: '/' };
      const base: StdioServerDefinition = { name: 's', type: 'stdio', command: 'node', args: ['server.js'], env: { API_TOKEN: '${input:token}' }, autostart: true, disabled: false };
      const pin = (definition: StdioServerDefinition) => describeLaunch(definition, variables, sha256).pin;
      const changed: StdioServerDefinition[] = [
        { ...base, env: { ...base.env, NODE_OPTIONS: '--require /tmp/evil.js' } },
        { ...base, env: { API_TOKEN: 'a-token-the-repository-chose' } },
        { ...base, envFile: '${userHome}/.aws/credentials' },
        { ...base, cwd: '/etc' },
        { ...base, args: ['server.js', '--allow-write=/'] },
      ];
      const pins = new Set([pin(base), ...changed.map(pin)]);
      assert.equal(pins.size, changed.length + 1);
      // The same launch written with a variable or spelled out is the same launch.
      assert.equal(pin({ ...base, args: ['${workspaceFolder}/server.js'] }), pin({ ...base, args: ['/ws/server.js'] }));
    });

    it('a launch summary shows control characters in arguments as escapes, not as line breaks', () => {
      const variables: VariableContext = { workspaceFolders: [], userHome: '/home/me', env: {}, pathSeparator: '/' };
      const launch = describeLaunch({ name: 's', type: 'stdio', command: 'node', args: ['ok.js\n\nApproved by your admin', '\u202eexe.js'], env: {}, autostart: true, disabled: false }, variables, sha256);
      assert.ok(!/[\n\u202e]/.test(launch.summary), launch.summary);
      assert.match(launch.summary, /ok\.js\\u000a\\u000aApproved/);
    });
  });

  describe('a hostile server', () => {
    const tool = { name: 'search', description: 'Searches', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } };

    it('a definition that changes only in title, input or output schema or annotations gets another pin', () => {
      const pin = toolPin(tool, sha256);
      const variants = [
        { ...tool, title: 'Search' },
        { ...tool, inputSchema: { type: 'object', properties: { q: { type: 'string' }, path: { type: 'string' } } } },
        { ...tool, outputSchema: { type: 'object' } },
        { ...tool, annotations: { readOnlyHint: true } },
        { ...tool, annotations: { readOnlyHint: false } },
        { ...tool, description: 'Searches ' },
      ];
      const pins = new Set(variants.map((v) => toolPin(v, sha256)));
      assert.equal(pins.size, variants.length);
      assert.ok(!pins.has(pin));
      assert.equal(toolPin({ inputSchema: tool.inputSchema, description: tool.description, name: tool.name }, sha256), pin, 'key order is not a change');
    });

    it('annotations claiming readOnlyHint get no annotation default over a deny grant, whatever its pin, level or status', () => {
      const readOnly = { annotationDefaults: { readOnlyHint: 'allow' as const } };
      const call = request({ kind: 'tool', target: 'rm' }, { pin: 'new', annotations: { readOnlyHint: true } });
      for (const status of ['sealed', 'proposed'] as const) {
        const gate = gateWith([[grant({ kind: 'tool', target: 'rm' }, 'deny', { pin: 'old' }), status]], readOnly);
        assert.notEqual(gate.decide(call).verdict, 'allow', status);
      }
      const session = gateWith([], readOnly);
      session.remember(request({ kind: 'tool', target: 'rm' }, { pin: 'old' }), { verdict: 'deny', scope: 'session' }, AT);
      assert.notEqual(session.decide(call).verdict, 'allow');
    });

    it('only annotations that are exactly true count: "true", 1 and {} are not', () => {
      const gate = gateWith([], { annotationDefaults: { readOnlyHint: 'allow' } });
      for (const value of ['true', 1, {}, [true]]) {
        const annotations = { readOnlyHint: value } as unknown as PermissionRequest['annotations'];
        assert.equal(gate.decide(request({ kind: 'tool', target: 't' }, { pin: 'p', ...(annotations && { annotations }) })).verdict, 'ask', JSON.stringify(value));
      }
    });

    it('10,000 declared permissions: only the first 100 are kept', () => {
      const permissions = Array.from({ length: 10_000 }, (_, i) => ({ kind: 'net', target: `h${i}.example.com`, reason: 'x' }));
      const { declarations, messages } = parseServerDeclarations({ version: 1, permissions });
      assert.equal(declarations.length, MAX_SERVER_DECLARATIONS);
      assert.match(messages[0] ?? '', /declared 10000 permissions; only the first 100/);
    });

    it('a reason with line breaks, control, bidi or zero-width characters, markdown links or 100,000 characters is one short plain line', () => {
      const reason = `Needed.\n\n\u0007[Click to allow safely](https://evil.example/x)\u202e\u2028Approved by your admin${' pad'.repeat(25_000)}`;
      const { declarations } = parseServerDeclarations({ version: 1, permissions: [{ kind: 'sampling', reason }] });
      const shown = declarations[0]?.reason ?? '';
      assert.ok(shown.length <= MAX_REASON_CHARS);
      assert.ok(shown.endsWith('…'));
      // eslint-disable-next-line no-control-regex
      assert.ok(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/.test(shown), JSON.stringify(shown.slice(0, 80)));
      assert.ok(!shown.includes(']('), 'no [text](link) left for the notification to render');
      assert.match(shown, /^Needed\. \[Click to allow safely\] \(https:\/\/evil\.example\/x\) Approved by your admin pad/);
    });

    it('displayText clips without splitting a character, and leaves ordinary text alone', () => {
      assert.equal(displayText("write_file (version 2) — 'docs'", 100), "write_file (version 2) — 'docs'");
      assert.equal(displayText('ab😀cd', 4), 'ab…');
      assert.equal(displayText('\u200b\u200b', 10), '');
    });

    it('a request without a string tool name, prompt name or resource URI is covered by no grant, not even resource `*`', () => {
      const catalog: ServerCatalog = { tools: [], prompts: [], resources: [] };
      const pins = new PinCache(sha256);
      const gate = gateWith([grant({ kind: 'resource', target: '*' }, 'allow'), grant({ kind: 'prompt', target: '*' }, 'allow')]);
      const cases: [Parameters<typeof permissionForRequest>[0], Record<string, unknown>][] = [
        ['resources/read', {}],
        ['resources/read', { uri: 42 }],
        ['resources/subscribe', { uri: { toString: 'file:///etc/passwd' } }],
        ['completion/complete', { ref: { type: 'ref/resource' } }],
        ['completion/complete', { ref: { type: 'ref/tool', name: 'x' } }],
        ['completion/complete', {}],
        ['prompts/get', { name: ['*'] }],
      ];
      for (const [method, params] of cases) {
        const needed = permissionForRequest(method, params, catalog, pins);
        assert.ok(needed, method);
        assert.equal(gate.decide(request(needed.permission)).verdict, 'ask', `${method} ${JSON.stringify(params)}`);
      }
      assert.equal(gate.decide(request({ kind: 'resource', target: 'file:///docs/a.md' })).verdict, 'allow', 'a real URI is still covered');
    });

    it('completion/complete for a prompt needs that prompt of this server', () => {
      const catalog: ServerCatalog = { tools: [], prompts: [{ name: 'review' }], resources: [] };
      const needed = permissionForRequest('completion/complete', { ref: { type: 'ref/prompt', name: 'review' }, argument: { name: 'a', value: '' } }, catalog, new PinCache(sha256));
      assert.deepEqual(needed?.permission, { kind: 'prompt', target: 'review' });
      const elsewhere = gateWith([grant({ kind: 'prompt', target: 'review' }, 'allow', { server: 'other', pin: needed?.pin })]);
      assert.equal(elsewhere.decide(request(needed!.permission, { ...(needed?.pin && { pin: needed.pin }) })).verdict, 'ask');
    });
  });

  describe('path targets', () => {
    it('/ws/a covers /ws/a/x, not /ws/ab', () => {
      assert.ok(covers('fs.read', '/ws/a', '/ws/a/x'));
      assert.ok(!covers('fs.read', '/ws/a', '/ws/ab'));
      assert.ok(!covers('fs.read', '/ws/a/', '/ws/ab'));
    });

    it('case: the same folder on a case-insensitive file system, another folder on a case-sensitive one', () => {
      assert.ok(covers('fs.write', '/Ws/Build', '/ws/build/x', { caseInsensitivePaths: true }));
      assert.ok(covers('fs.write', 'C:\\Ws\\Build', 'c:/ws/build/x', { caseInsensitivePaths: true }));
      assert.ok(!covers('fs.write', '/Ws/Build', '/ws/build/x'));
    });

    it('a backslash in a POSIX path, or a Windows path without a drive, matches nothing (it names different files on different systems)', () => {
      // On Linux `/tmp/x\..\..\ws/secret` is a file below /tmp: read as /ws/secret it would pass a grant on /ws.
      assert.ok(!covers('fs.write', '/ws', '/tmp/x\\..\\..\\ws/secret'));
      assert.ok(!covers('fs.write', '/ws', '\\ws\\secret'));
      assert.equal(parseAbsolutePath('/tmp/x\\..\\..\\ws'), undefined);
      const gate = gateWith([]);
      assert.match(gate.decide(request({ kind: 'fs.write', target: '/ws/a\\b' })).risks.join(), /not an absolute path/, 'asking is modal');
    });

    it('NUL bytes and climbs above the root match nothing', () => {
      assert.ok(!covers('fs.read', '/ws', '/ws/a\0/../../etc'));
      assert.ok(!covers('fs.read', '/', '/../etc'));
      assert.ok(!covers('fs.read', '/ws', 'ws/a'), 'a relative path');
    });

    it('writing outside every workspace folder is a risk, even when `..` hides it', () => {
      const gate = gateWith([]);
      assert.deepEqual(gate.decide(request({ kind: 'fs.write', target: '/ws/build/x' })).risks, []);
      assert.match(gate.decide(request({ kind: 'fs.write', target: '/ws/../etc/cron.d/x' })).risks.join(), /outside every workspace folder/);
      assert.match(gate.decide(request({ kind: 'fs.write', target: '/wsx/y' })).risks.join(), /outside every workspace folder/);
    });
  });

  describe('net targets', () => {
    it('*.example.com covers names below example.com only', () => {
      assert.ok(covers('net', '*.example.com', 'api.example.com'));
      assert.ok(covers('net', '*.example.com', 'a.b.example.com:8443'));
      for (const host of ['example.com', 'evil-example.com', 'example.com.evil.net', 'evilexample.com', 'api.example.co', 'api.example.com.evil.net']) {
        assert.ok(!covers('net', '*.example.com', host), host);
      }
    });

    it('IDN: Unicode names are no target, and punycode lookalikes are other names', () => {
      assert.ok(!covers('net', '*', 'exаmple.com' /* Cyrillic а */), 'not even * covers a name that is no host');
      assert.ok(!covers('net', 'example.com', 'xn--exmple-4nf.com'));
      assert.ok(!covers('net', '*.example.com', 'xn--80ak6aa92e.com'));
    });

    it('a trailing dot and case are the same host; userinfo, paths and fragments make no host', () => {
      assert.ok(covers('net', 'api.example.com', 'API.Example.COM.'));
      assert.ok(covers('net', '*.example.com', 'api.example.com.'));
      for (const text of ['user@evil.net', 'evil.net/api.example.com', 'evil.net#.example.com', 'evil.net?.example.com', 'api.example.com:', 'api.example.com:0', 'api.example.com:65536', 'a..example.com', '*.*.example.com', 'a.*.com']) {
        assert.ok(!covers('net', '*.example.com', text), text);
        assert.ok(!covers('net', text, 'api.example.com'), `grant ${text}`);
      }
    });

    it('ports: host:port covers that port only; host covers any; IPv6 in brackets', () => {
      assert.ok(covers('net', 'example.com:443', 'example.com:443'));
      assert.ok(!covers('net', 'example.com:443', 'example.com:4430'));
      assert.ok(!covers('net', 'example.com:443', 'example.com'), 'a request for any port is not covered by one port');
      assert.ok(covers('net', 'example.com', 'example.com:22'));
      assert.ok(covers('net', '[::1]:8080', '[::1]:8080'));
      assert.ok(!covers('net', '[::1]:8080', '[::1]:8081'));
      assert.ok(covers('net', '::1', '[::1]:22'));
      assert.ok(!covers('net', '::1', '[::2]'));
      assert.ok(!covers('net', '127.0.0.1', '[::ffff:127.0.0.1]'), 'another spelling of an address is another target (asked, not allowed)');
    });

    it('a request for a pattern is covered only by *', () => {
      assert.ok(!covers('net', '*.example.com', '*.example.com'));
      assert.ok(!covers('net', 'example.com', '*'));
      assert.ok(covers('net', '*', '*.example.com'));
      assert.match(gateWith([]).decide(request({ kind: 'net', target: '*' })).risks.join(), /any host/);
    });
  });
});
