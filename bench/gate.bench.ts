// The gate's decision alone, as it runs on every call: 1,000 grants across 20 servers (workspace grants of every
// kind, a few session grants), 100,000 decisions over a mix of requests that allow, deny and ask; p50 and p99 in µs.
// Run alone: `npm run compile-tests && node out/bench/gate.bench.js`.
import { createHash } from 'node:crypto';
import type { Grant, PermissionKind, PermissionRequest, WorkspaceGrant } from '../src/core/permissions/permission';
import { PermissionGate } from '../src/core/permissions/permissionGate';
import { percentile, round } from './measure';

const SERVERS = 20;
const GRANTS = 1_000;
const DECISIONS = 100_000;
const AT = '2026-12-02T10:00:00.000Z';

const pinOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** Grant i: cycles through the kinds a real workspace holds, spread over the servers. */
function grantAt(i: number): Grant {
  const server = `server-${i % SERVERS}`;
  const n = Math.floor(i / SERVERS);
  const decision = n % 7 === 0 ? 'deny' : 'allow';
  const base = { server, decision, scope: 'workspace', grantedAt: AT } as const;
  switch (n % 5) {
    case 0:
      return { ...base, kind: 'tool', target: `tool-${n}`, pin: pinOf(`${server}/tool-${n}`) };
    case 1:
      return { ...base, kind: 'net', target: n % 2 ? `*.domain-${n}.example.com` : `api-${n}.example.com:443` };
    case 2:
      return { ...base, kind: 'fs.read', target: `/home/me/project/src/module-${n}` };
    case 3:
      return { ...base, kind: 'resource', target: `file:///docs/${n}/*` };
    default:
      return { ...base, kind: 'prompt', target: `prompt-${n}`, pin: pinOf(`${server}/prompt-${n}`) };
  }
}

/** A request that the grant would decide, or (one in four) one that no grant covers. */
function requestFor(grant: Grant, miss: boolean): PermissionRequest {
  const target = (kind: PermissionKind): string => {
    switch (kind) {
      case 'net':
        return grant.target.startsWith('*.') ? `cdn.${grant.target.slice(2)}` : grant.target;
      case 'fs.read':
        return `${grant.target}/deep/file.ts`;
      case 'resource':
        return grant.target.replace('*', 'guide/intro.md');
      default:
        return grant.target;
    }
  };
  const permission = { kind: grant.kind, target: miss ? `${target(grant.kind)}-missing` : target(grant.kind) };
  return { server: grant.server, session: 'session-1', permission, ...(grant.pin !== undefined && { pin: grant.pin }) };
}

export function benchGate(): Record<string, number | string> {
  const grants: WorkspaceGrant[] = Array.from({ length: GRANTS }, (_, i) => ({ grant: grantAt(i), status: i % 50 === 0 ? 'confirmed' : 'sealed' }));
  const gate = new PermissionGate({ annotationDefaults: { readOnlyHint: 'allow' }, workspaceFolders: ['/home/me/project'], caseInsensitivePaths: false });
  gate.setWorkspaceGrants(grants);
  const requests = Array.from({ length: 1_000 }, (_, i) => requestFor(grants[(i * 7919) % GRANTS]!.grant, i % 4 === 3));
  for (const request of requests.slice(0, 50)) gate.remember(request, { verdict: 'allow', scope: 'session' }, AT);

  const verdicts = { allow: 0, deny: 0, ask: 0 };
  /** A decision of a request seen before (a call repeated: the gate keeps it) or of one never seen (a new run's). */
  const measure = (fresh: boolean): number[] => {
    const samples = new Float64Array(DECISIONS);
    for (let i = 0; i < DECISIONS; i++) {
      const base = requests[i % requests.length]!;
      // A session of its own makes a request new to the gate's cache; workspace grants still decide it.
      const request = fresh ? { ...base, session: `fresh-${i}` } : base;
      const started = process.hrtime.bigint();
      const decision = gate.decide(request);
      samples[i] = Number(process.hrtime.bigint() - started) / 1000;
      if (!fresh) verdicts[decision.verdict]++;
    }
    return Array.from(samples);
  };
  for (let i = 0; i < 20_000; i++) gate.decide(requests[i % requests.length]!); // warm up
  const repeated = measure(false);
  const fresh = measure(true);
  return {
    'gate decision, 1,000 grants / 20 servers, repeated request: p50 (µs)': round(percentile(repeated, 50), 2),
    'gate decision, repeated request: p99 (µs)': round(percentile(repeated, 99), 2),
    'gate decision, a request never seen: p50 (µs)': round(percentile(fresh, 50), 2),
    'gate decision, a request never seen: p99 (µs)': round(percentile(fresh, 99), 2),
    'gate decisions measured (each way)': DECISIONS,
    'gate decisions: allow / deny / ask': `${verdicts.allow} / ${verdicts.deny} / ${verdicts.ask}`,
  };
}

if (require.main === module) {
  for (const [what, value] of Object.entries(benchGate())) console.log(`  ${what.padEnd(56)} ${value}`);
}
