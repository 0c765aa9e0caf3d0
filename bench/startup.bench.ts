// 20 stdio servers started at once vs the slowest one alone, in the same run, with the real launcher and
// registry (the code the extension host runs). Two kinds of server:
//  - "waiting": the v2 fixture with a 1 s start-up delay, like a server that resolves a package or opens a
//    database: start-up is mostly waiting, so the ratio shows whether the client serializes or adds overhead;
//  - "server-everything": real, CPU-bound start-up (~0.3 s of CPU each), so on a 2-core machine 20 at once
//    are bounded by CPU: (20 × CPU per start) / cores, whatever the client does.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { EVERYTHING, FIXTURE, NODE, pidOf, running, startServers } from '../test/integration/harness';
import { round } from './measure';

const COUNT = 20;
const TICK_MS = 10; // Linux reports process CPU time in clock ticks of 1/100 s

/** CPU time (user + system) a process has used so far, from /proc. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Starts the servers together; returns the wall time until all run and the CPU the server processes used. */
async function timeStart(servers: Record<string, unknown>): Promise<{ ms: number; serverCpuMs: number }> {
  const harness = await startServers(servers, { autostart: false, startupTimeoutMs: 120_000 });
  try {
    const started = performance.now();
    await harness.registry.startAll();
    const ms = performance.now() - started;
    for (const s of harness.registry.servers) if (!running(s)) throw new Error(`${s.name} did not start: ${JSON.stringify(s.state)}`);
    const serverCpuMs = harness.registry.servers.reduce((sum, s) => sum + processCpuMs(pidOf(s)), 0);
    return { ms, serverCpuMs };
  } finally {
    await harness.dispose();
  }
}

export async function benchStartup(): Promise<Record<string, number | string>> {
  const results: Record<string, number | string> = { cores: cpus().length };
  for (const [label, definition] of [
    ['waiting', { command: NODE, args: [FIXTURE, '--startup-delay-ms', '1000'] }],
    ['server-everything', { command: NODE, args: [EVERYTHING, 'stdio'] }],
  ] as const) {
    await timeStart({ warmup: definition });
    const alone: number[] = [];
    for (let i = 0; i < COUNT; i++) alone.push((await timeStart({ [`s${i}`]: definition })).ms);
    const slowest = Math.max(...alone);
    const cpuBefore = process.cpuUsage();
    const together = await timeStart(Object.fromEntries(Array.from({ length: COUNT }, (_, i) => [`s${i}`, definition])));
    const cpu = process.cpuUsage(cpuBefore);
    // No client can start 20 servers faster than the machine can run their start-up code.
    const machineBound = Math.max(slowest, together.serverCpuMs / cpus().length);
    results[`${label}: slowest alone (ms)`] = round(slowest);
    results[`${label}: ${COUNT} at once (ms)`] = round(together.ms);
    results[`${label}: ratio to slowest alone`] = round(together.ms / slowest, 2);
    results[`${label}: CPU the ${COUNT} servers used (ms)`] = round(together.serverCpuMs);
    results[`${label}: bound of this machine (ms)`] = round(machineBound);
    results[`${label}: ratio to that bound`] = round(together.ms / machineBound, 2);
    results[`${label}: client CPU per start (ms)`] = round((cpu.user + cpu.system) / 1000 / COUNT);
  }
  return results;
}
