import * as assert from 'node:assert/strict';
import { PermissionGate, type GateOptions } from '../../../../src/core/permissions/permissionGate';
import type { Grant, GrantStatus, Permission, PermissionRequest, WorkspaceGrant } from '../../../../src/core/permissions/permission';

const options: GateOptions = { annotationDefaults: {}, workspaceFolders: ['/ws'], caseInsensitivePaths: false };
const AT = '2026-12-02T10:00:00.000Z';

function request(permission: Permission, extra: Partial<PermissionRequest> = {}): PermissionRequest {
  return { server: 'files', session: 's1', permission, ...extra };
}
const tool = (name: string, extra: Partial<PermissionRequest> = {}) => request({ kind: 'tool', target: name }, { pin: 'pin-1', ...extra });

function grant(permission: Permission, decision: Grant['decision'], extra: Partial<Grant> = {}): Grant {
  return { server: 'files', ...permission, decision, scope: 'workspace', grantedAt: AT, ...extra };
}
function ws(g: Grant, status: GrantStatus = 'sealed'): WorkspaceGrant {
  return { grant: g, status };
}
function gateWith(grants: WorkspaceGrant[], gateOptions: Partial<GateOptions> = {}): PermissionGate {
  const gate = new PermissionGate({ ...options, ...gateOptions });
  gate.setWorkspaceGrants(grants);
  return gate;
}

describe('PermissionGate', () => {
  describe('levels and scopes', () => {
    it('asks when no grant decides', () => {
      const decision = gateWith([]).decide(tool('search'));
      assert.equal(decision.verdict, 'ask');
      assert.equal(decision.rule, 'no grant decides: ask');
      assert.deepEqual(decision.risks, []);
    });

    it('applies a sealed or confirmed workspace grant, naming it', () => {
      const sealed = gateWith([ws(grant({ kind: 'tool', target: 'search' }, 'allow', { pin: 'pin-1' }))]).decide(tool('search'));
      assert.equal(sealed.verdict, 'allow');
      assert.equal(sealed.rule, 'allowed for this workspace on 2026-12-02 (sealed grant)');
      assert.equal(sealed.grant?.target, 'search');
      const confirmed = gateWith([ws(grant({ kind: 'net', target: '*.github.com' }, 'deny'), 'confirmed')]).decide(request({ kind: 'net', target: 'api.github.com' }));
      assert.equal(confirmed.verdict, 'deny');
      assert.equal(confirmed.rule, 'denied for this workspace on 2026-12-02 (confirmed grant for *.github.com)');
    });

    it('keeps grants to their server and kind', () => {
      const gate = gateWith([ws(grant({ kind: 'tool', target: 'search' }, 'allow'))]);
      assert.equal(gate.decide({ ...tool('search'), server: 'other' }).verdict, 'ask');
      assert.equal(gate.decide(request({ kind: 'prompt', target: 'search' })).verdict, 'ask');
    });

    it('checks once grants before session grants before workspace grants', () => {
      const gate = gateWith([ws(grant({ kind: 'tool', target: 'search' }, 'deny'))]);
      gate.remember(tool('search'), { verdict: 'allow', scope: 'session' }, AT);
      const session = gate.decide(tool('search'));
      assert.equal(session.verdict, 'allow');
      assert.equal(session.rule, 'allowed for this session');
      const once = gate.remember(tool('search'), { verdict: 'deny', scope: 'once' }, AT);
      assert.equal(gate.decide(tool('search')).verdict, 'deny');
      assert.equal(gate.decide(tool('search')).rule, 'denied once');
      gate.consume(once);
      assert.equal(gate.decide(tool('search')).verdict, 'allow', 'the once grant is used up');
    });

    it('keeps memory grants to their session, and drops them when the session ends', () => {
      const gate = gateWith([]);
      gate.remember(tool('search'), { verdict: 'allow', scope: 'session' }, AT);
      gate.remember(tool('read'), { verdict: 'allow', scope: 'once' }, AT);
      assert.equal(gate.decide({ ...tool('search'), session: 's2' }).verdict, 'ask');
      assert.equal(gate.decide({ ...tool('read'), session: 's2' }).verdict, 'ask');
      assert.equal(gate.list('files').length, 2);
      gate.endSession('files', 's1');
      assert.equal(gate.decide(tool('search')).verdict, 'ask');
      assert.equal(gate.decide(tool('read')).verdict, 'ask');
      assert.deepEqual(gate.list(), []);
    });

    it('keeps no memory grant for a run that already ended (an answer that came after a crash)', () => {
      const gate = gateWith([]);
      gate.endSession('files', 's1');
      const grant = gate.remember(tool('search'), { verdict: 'allow', scope: 'session' }, AT);
      assert.equal(grant.scope, 'session');
      assert.deepEqual(gate.list(), []);
      gate.remember({ ...tool('search'), session: 's2' }, { verdict: 'allow', scope: 'session' }, AT);
      assert.equal(gate.list().length, 1, 'the next run keeps its own');
    });

    it('does not keep workspace answers in memory: they go through the grant store', () => {
      const gate = gateWith([]);
      const g = gate.remember(tool('search'), { verdict: 'allow', scope: 'workspace' }, AT);
      assert.deepEqual(g, { server: 'files', kind: 'tool', target: 'search', decision: 'allow', scope: 'workspace', grantedAt: AT, pin: 'pin-1' });
      assert.equal(gate.decide(tool('search')).verdict, 'ask');
    });

    it('a new session answer replaces the earlier one for the same target', () => {
      const gate = gateWith([]);
      gate.remember(tool('search'), { verdict: 'deny', scope: 'session' }, AT);
      gate.remember(tool('search'), { verdict: 'allow', scope: 'session' }, AT);
      assert.equal(gate.decide(tool('search')).verdict, 'allow');
      assert.equal(gate.list().length, 1);
    });

    it('revokes memory grants on the very next decision', () => {
      const gate = gateWith([]);
      gate.remember(tool('search'), { verdict: 'allow', scope: 'session' }, AT);
      gate.remember(tool('read'), { verdict: 'allow', scope: 'session' }, AT);
      const revoked = gate.revokeInMemory((g) => g.target === 'search');
      assert.deepEqual(revoked.map((g) => g.target), ['search']);
      assert.equal(gate.decide(tool('search')).verdict, 'ask');
      assert.equal(gate.decide(tool('read')).verdict, 'allow');
    });
  });

  describe('within a level', () => {
    it('deny beats allow for the same target', () => {
      const gate = gateWith([ws(grant({ kind: 'net', target: 'api.github.com' }, 'allow')), ws(grant({ kind: 'net', target: 'api.github.com' }, 'deny'))]);
      assert.equal(gate.decide(request({ kind: 'net', target: 'api.github.com' })).verdict, 'deny');
      const reversed = gateWith([ws(grant({ kind: 'net', target: 'api.github.com' }, 'deny')), ws(grant({ kind: 'net', target: 'api.github.com' }, 'allow'))]);
      assert.equal(reversed.decide(request({ kind: 'net', target: 'api.github.com' })).verdict, 'deny');
    });

    it('a more specific target beats a broader one, either way round', () => {
      const gate = gateWith([
        ws(grant({ kind: 'net', target: '*' }, 'deny')),
        ws(grant({ kind: 'net', target: '*.github.com' }, 'allow')),
        ws(grant({ kind: 'net', target: 'evil.github.com' }, 'deny')),
        ws(grant({ kind: 'net', target: 'evil.github.com:8443' }, 'allow')),
        ws(grant({ kind: 'fs.write', target: '/ws' }, 'deny')),
        ws(grant({ kind: 'fs.write', target: '/ws/build' }, 'allow')),
        ws(grant({ kind: 'fs.write', target: '/ws/build/secret.key' }, 'deny')),
      ]);
      const verdict = (permission: Permission) => gate.decide(request(permission)).verdict;
      assert.equal(verdict({ kind: 'net', target: 'example.com' }), 'deny');
      assert.equal(verdict({ kind: 'net', target: 'api.github.com' }), 'allow');
      assert.equal(verdict({ kind: 'net', target: 'evil.github.com:443' }), 'deny');
      assert.equal(verdict({ kind: 'net', target: 'evil.github.com:8443' }), 'allow');
      assert.equal(verdict({ kind: 'fs.write', target: '/ws/src/a.ts' }), 'deny');
      assert.equal(verdict({ kind: 'fs.write', target: '/ws/build/out/app.js' }), 'allow');
      assert.equal(verdict({ kind: 'fs.write', target: '/ws/build/secret.key' }), 'deny');
      assert.equal(verdict({ kind: 'fs.write', target: '/ws/build/../src/x' }), 'deny', '`..` cannot climb out of the grant');
    });

    it('normalises request paths before matching, and compares case only when told to', () => {
      const grants = [ws(grant({ kind: 'fs.read', target: '/Ws/Docs/' }, 'allow'))];
      assert.equal(gateWith(grants).decide(request({ kind: 'fs.read', target: '/Ws/Docs//a/./b.md' })).verdict, 'allow');
      assert.equal(gateWith(grants).decide(request({ kind: 'fs.read', target: '/ws/docs/a.md' })).verdict, 'ask');
      assert.equal(gateWith(grants, { caseInsensitivePaths: true }).decide(request({ kind: 'fs.read', target: '/ws/docs/a.md' })).verdict, 'allow');
      assert.equal(gateWith(grants).decide(request({ kind: 'fs.read', target: '/Ws/Docs/../../etc/passwd' })).verdict, 'ask');
      assert.equal(gateWith(grants).decide(request({ kind: 'fs.read', target: '/Ws/DocsX' })).verdict, 'ask');
    });

    it('resolves symlinks through the realpath port, grants and requests alike', () => {
      const realpath = (path: string) => {
        if (path.startsWith('/ws/link')) return `/etc${path.slice('/ws/link'.length)}`;
        if (path.startsWith('/ws') || path.startsWith('/etc')) return path;
        throw new Error('ENOENT');
      };
      const gate = gateWith([ws(grant({ kind: 'fs.read', target: '/ws' }, 'allow'))], { realpath });
      assert.equal(gate.decide(request({ kind: 'fs.read', target: '/ws/src/a.ts' })).verdict, 'allow');
      assert.equal(gate.decide(request({ kind: 'fs.read', target: '/ws/link/passwd' })).verdict, 'ask');
      assert.equal(gateWith([ws(grant({ kind: 'fs.read', target: '/ws' }, 'allow'))]).decide(request({ kind: 'fs.read', target: '/ws/link/passwd' })).verdict, 'allow');
    });
  });

  describe('pins, proposed and tampered grants', () => {
    it('suspends a grant pinned to another definition: ask, naming the suspended grant', () => {
      const old = grant({ kind: 'tool', target: 'search' }, 'allow', { pin: 'pin-0' });
      const decision = gateWith([ws(old)]).decide(tool('search'));
      assert.equal(decision.verdict, 'ask');
      assert.equal(decision.suspended, old);
      assert.match(decision.rule, /definition of tool 'search' changed since it was allowed on 2026-12-02/);
    });

    it('suspends a session grant when the definition changes mid-session', () => {
      const gate = gateWith([]);
      gate.remember(tool('search'), { verdict: 'allow', scope: 'session' }, AT);
      const decision = gate.decide(tool('search', { pin: 'pin-2' }));
      assert.equal(decision.verdict, 'ask');
      assert.equal(decision.suspended?.pin, 'pin-1');
    });

    it('a current pinned grant decides even when an outdated one exists', () => {
      const gate = gateWith([ws(grant({ kind: 'tool', target: 'search' }, 'allow', { pin: 'pin-0' })), ws(grant({ kind: 'tool', target: 'search' }, 'allow', { pin: 'pin-1' }))]);
      assert.equal(gate.decide(tool('search')).verdict, 'allow');
    });

    it('suspends launch grants when the launch changes', () => {
      const gate = gateWith([ws(grant({ kind: 'launch', target: '' }, 'allow', { pin: 'launch-a' }))]);
      assert.equal(gate.decide(request({ kind: 'launch', target: '' }, { pin: 'launch-a' })).verdict, 'allow');
      const changed = gate.decide(request({ kind: 'launch', target: '' }, { pin: 'launch-b' }));
      assert.equal(changed.verdict, 'ask');
      assert.match(changed.rule, /the server's launch changed/);
    });

    it('reports a proposed grant that would match, without honouring it', () => {
      const proposed = grant({ kind: 'tool', target: 'search' }, 'allow', { pin: 'pin-1' });
      const decision = gateWith([ws(proposed, 'proposed')]).decide(tool('search'));
      assert.equal(decision.verdict, 'ask');
      assert.equal(decision.proposed, proposed);
      assert.equal(decision.grant, undefined);
      assert.match(decision.rule, /proposed workspace grant/);
    });

    it('never matches a tampered grant', () => {
      const decision = gateWith([ws(grant({ kind: 'tool', target: 'search' }, 'allow', { pin: 'pin-1' }), 'tampered')]).decide(tool('search'));
      assert.equal(decision.verdict, 'ask');
      assert.equal(decision.rule, 'no grant decides: ask');
      assert.equal(decision.proposed, undefined);
    });

    it('ignores workspace grants in an untrusted workspace and lists them as proposed', () => {
      const gate = gateWith([ws(grant({ kind: 'tool', target: 'search' }, 'allow', { pin: 'pin-1' }))]);
      gate.setTrusted(false);
      const decision = gate.decide(tool('search'));
      assert.equal(decision.verdict, 'ask');
      assert.equal(decision.proposed, undefined);
      assert.deepEqual(gate.list().map((l) => l.status), ['proposed']);
      gate.setTrusted(true);
      assert.equal(gate.decide(tool('search')).verdict, 'allow');
      assert.deepEqual(gate.list().map((l) => l.status), ['sealed']);
    });
  });

  describe('annotation defaults', () => {
    const defaults: GateOptions['annotationDefaults'] = { readOnlyHint: 'allow' };

    it('apply only to hints that are explicitly true, naming the setting', () => {
      const gate = gateWith([], { annotationDefaults: defaults });
      const allowed = gate.decide(tool('list', { annotations: { readOnlyHint: true } }));
      assert.equal(allowed.verdict, 'allow');
      assert.equal(allowed.rule, 'readOnlyHint tools allowed by mcpWarden.permissions.annotationDefaults');
      assert.equal(gate.decide(tool('list', { annotations: { readOnlyHint: false } })).verdict, 'ask');
      assert.equal(gate.decide(tool('list', { annotations: {} })).verdict, 'ask');
      assert.equal(gate.decide(tool('list')).verdict, 'ask');
      assert.equal(gateWith([]).decide(tool('list', { annotations: { readOnlyHint: true } })).verdict, 'ask', 'no default set');
    });

    it('apply to tools only', () => {
      const gate = gateWith([], { annotationDefaults: defaults });
      assert.equal(gate.decide(request({ kind: 'prompt', target: 'list' }, { annotations: { readOnlyHint: true } })).verdict, 'ask');
    });

    it('never override a deny grant, even one that is suspended, proposed or untrusted', () => {
      const annotated = tool('list', { annotations: { readOnlyHint: true } });
      const deny = grant({ kind: 'tool', target: 'list' }, 'deny', { pin: 'pin-0' });
      assert.equal(gateWith([ws(deny)], { annotationDefaults: defaults }).decide(annotated).verdict, 'ask');
      assert.equal(gateWith([ws({ ...deny, pin: 'pin-1' }, 'proposed')], { annotationDefaults: defaults }).decide(annotated).verdict, 'ask');
      const untrusted = gateWith([ws({ ...deny, pin: 'pin-1' })], { annotationDefaults: defaults });
      untrusted.setTrusted(false);
      assert.equal(untrusted.decide(annotated).verdict, 'ask');
      const session = gateWith([], { annotationDefaults: defaults });
      session.remember(annotated, { verdict: 'deny', scope: 'session' }, AT);
      assert.equal(session.decide({ ...annotated, pin: 'pin-2' }).verdict, 'ask');
    });

    it('are decided by grants first', () => {
      const gate = gateWith([ws(grant({ kind: 'tool', target: 'list' }, 'deny', { pin: 'pin-1' }))], { annotationDefaults: defaults });
      assert.equal(gate.decide(tool('list', { annotations: { readOnlyHint: true } })).verdict, 'deny');
    });

    it('take the strictest of several true hints', () => {
      const gate = gateWith([], { annotationDefaults: { readOnlyHint: 'allow', openWorldHint: 'ask', destructiveHint: 'deny' } });
      assert.equal(gate.decide(tool('t', { annotations: { readOnlyHint: true, openWorldHint: true } })).verdict, 'ask');
      const denied = gate.decide(tool('t', { annotations: { readOnlyHint: true, destructiveHint: true } }));
      assert.equal(denied.verdict, 'deny');
      assert.equal(denied.rule, 'destructiveHint tools denied by mcpWarden.permissions.annotationDefaults');
    });
  });

  describe('risks', () => {
    const risks = (permission: Permission, extra: Partial<PermissionRequest> = {}, extraRisks: string[] = []) =>
      gateWith([]).decide(request(permission, extra), extraRisks).risks;

    it('writing outside every workspace folder', () => {
      assert.deepEqual(risks({ kind: 'fs.write', target: '/ws/build/x' }), []);
      assert.match(risks({ kind: 'fs.write', target: '/etc/hosts' })[0] ?? '', /outside every workspace folder/);
      assert.match(risks({ kind: 'fs.write', target: '/ws/../etc/hosts' })[0] ?? '', /outside every workspace folder/);
      assert.match(risks({ kind: 'fs.write', target: '/wsx/a' })[0] ?? '', /outside/);
      assert.match(risks({ kind: 'fs.write', target: 'relative/x' })[0] ?? '', /not an absolute path/);
      assert.deepEqual(risks({ kind: 'fs.read', target: '/etc/hosts' }), []);
    });

    it('running a program, any host, destructive or open-world tools, and what the caller adds', () => {
      assert.equal(risks({ kind: 'process.exec', target: 'git' }).length, 1);
      assert.equal(risks({ kind: 'net', target: '*' }).length, 1);
      assert.deepEqual(risks({ kind: 'net', target: '*.github.com' }), []);
      assert.equal(risks({ kind: 'tool', target: 'rm' }, { annotations: { destructiveHint: true } }).length, 1);
      assert.deepEqual(risks({ kind: 'tool', target: 'rm' }, { annotations: { destructiveHint: true, readOnlyHint: true } }), []);
      assert.deepEqual(risks({ kind: 'tool', target: 'rm' }, { annotations: { destructiveHint: false } }), []);
      assert.equal(risks({ kind: 'tool', target: 'web' }, { annotations: { openWorldHint: true } }).length, 1);
      assert.deepEqual(risks({ kind: 'launch', target: '' }, {}, ['downloads a package']), ['downloads a package']);
    });
  });

  it('a decision kept for a repeated request goes as soon as grants, trust or options change', () => {
    const allowed = grant({ kind: 'tool', target: 'search' }, 'allow', { pin: 'pin-1' });
    const gate = gateWith([ws(allowed)]);
    assert.equal(gate.decide(tool('search')).verdict, 'allow');
    assert.equal(gate.decide(tool('search')), gate.decide(tool('search')), 'the repeated request is answered from what was kept');
    gate.setTrusted(false);
    assert.equal(gate.decide(tool('search')).verdict, 'ask', 'trust withdrawn');
    gate.setTrusted(true);
    gate.setWorkspaceGrants([]);
    assert.equal(gate.decide(tool('search')).verdict, 'ask', 'grant gone');
    const session = gate.remember(tool('search'), { verdict: 'deny', scope: 'session' }, AT);
    assert.equal(gate.decide(tool('search')).verdict, 'deny');
    gate.revokeInMemory((g) => g === session);
    assert.equal(gate.decide(tool('search')).verdict, 'ask', 'revoked');
    gate.remember(tool('search'), { verdict: 'allow', scope: 'session' }, AT);
    gate.endSession('files', 's1');
    assert.equal(gate.decide(tool('search')).verdict, 'ask', 'the session ended');
    assert.equal(gate.decide(tool('search', { pin: 'pin-2' })).verdict, 'ask', 'another pin is another request');
  });

  it('never keeps a decision of a once grant, nor of a path (a link can change between two calls)', () => {
    const gate = gateWith([]);
    const once = gate.remember(tool('search'), { verdict: 'allow', scope: 'once' }, AT);
    assert.equal(gate.decide(tool('search')).grant, once);
    gate.consume(once);
    assert.equal(gate.decide(tool('search')).verdict, 'ask');
    let target = '/ws/docs/a.md';
    const linked = new PermissionGate({ ...options, realpath: (path) => (path === '/ws/docs/link.md' ? target : path) });
    linked.setWorkspaceGrants([ws(grant({ kind: 'fs.read', target: '/ws/docs' }, 'allow'))]);
    const read = request({ kind: 'fs.read', target: '/ws/docs/link.md' });
    assert.equal(linked.decide(read).verdict, 'allow');
    target = '/home/me/.ssh/id_ed25519';
    assert.equal(linked.decide(read).verdict, 'ask', 'the link now leads elsewhere');
  });

  it('fires onDidChange when grants, trust or options change', () => {
    const gate = gateWith([]);
    let fired = 0;
    const subscription = gate.onDidChange(() => fired++);
    gate.setWorkspaceGrants([]);
    gate.setTrusted(false);
    gate.setTrusted(false);
    gate.setOptions(options);
    const once = gate.remember(tool('x'), { verdict: 'allow', scope: 'once' }, AT);
    gate.consume(once);
    gate.endSession('files', 's1');
    assert.equal(fired, 5);
    subscription.dispose();
    gate.dispose();
  });

  it('decides among 1,000 grants across 20 servers by server and kind', () => {
    const grants: WorkspaceGrant[] = [];
    for (let i = 0; i < 1000; i++) {
      grants.push(ws({ ...grant({ kind: i % 2 ? 'tool' : 'net', target: i % 2 ? `tool-${i}` : `h${i}.example.com` }, 'allow', { pin: i % 2 ? `pin-${i}` : undefined }), server: `server-${i % 20}` }));
    }
    const gate = gateWith(grants);
    assert.equal(gate.decide({ server: 'server-1', session: 's', permission: { kind: 'tool', target: 'tool-21' }, pin: 'pin-21' }).verdict, 'allow');
    assert.equal(gate.decide({ server: 'server-2', session: 's', permission: { kind: 'tool', target: 'tool-21' }, pin: 'pin-21' }).verdict, 'ask');
    assert.equal(gate.decide({ server: 'server-0', session: 's', permission: { kind: 'net', target: 'h980.example.com:443' } }).verdict, 'allow');
    assert.equal(gate.workspaceGrants.length, 1000);
  });
});
