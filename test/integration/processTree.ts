// Pids a server reports (in its stderr) are numbered in its own PID namespace when it runs in one: these helpers
// find the same processes as the test sees them.
import { innermostPid, pidNamespaceMembers, pidNamespaceOf } from '../../src/node/processes';

/** The pid this process sees for `reported`, a pid numbered in the PID namespace of `server` (a pid this process sees). */
export function visiblePid(server: number, reported: number): number {
  const namespace = pidNamespaceOf(server);
  if (!namespace) throw new Error(`cannot read the PID namespace of ${server}`);
  if (namespace === pidNamespaceOf(process.pid)) return reported;
  const found = pidNamespaceMembers(namespace).find((pid) => innermostPid(pid) === reported);
  if (found === undefined) throw new Error(`no process ${reported} in the PID namespace of ${server}`);
  return found;
}

/** The pid of the process a server reported in a log line like "child pid 12", as this process sees it. */
export function reportedPid(server: number, lines: readonly string[], pattern: RegExp): number {
  const line = lines.find((l) => pattern.test(l));
  const reported = Number(pattern.exec(line ?? '')?.[1]);
  if (!(reported > 0)) throw new Error(`no line matching ${pattern} in:\n${lines.join('\n')}`);
  return visiblePid(server, reported);
}
