// Memory the client holds per idle running server: heap and RSS of this process (which runs the same launcher,
// session and registry code as the extension host) before and after starting 20 servers, after a full GC.
import { FIXTURE, NODE, running, startServers } from '../test/integration/harness';
import { round } from './measure';

const COUNT = 20;

function settle(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) gc();
}

export async function benchMemory(): Promise<Record<string, number>> {
  // Load every module once, so the figures count servers and not code.
  const warm = await startServers({ warm: { command: NODE, args: [FIXTURE] } });
  await warm.dispose();
  settle();
  const before = process.memoryUsage();
  const harness = await startServers(Object.fromEntries(Array.from({ length: COUNT }, (_, i) => [`s${i}`, { command: NODE, args: [FIXTURE] }])));
  try {
    for (const s of harness.registry.servers) if (!running(s)) throw new Error(`${s.name} did not start`);
    await new Promise((r) => setTimeout(r, 2000));
    settle();
    const after = process.memoryUsage();
    return {
      'heap per idle server (KiB)': round((after.heapUsed - before.heapUsed) / COUNT / 1024),
      'external+buffers per idle server (KiB)': round((after.external + after.arrayBuffers - before.external - before.arrayBuffers) / COUNT / 1024),
      'RSS per idle server (KiB)': round((after.rss - before.rss) / COUNT / 1024),
    };
  } finally {
    await harness.dispose();
  }
}
