import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { constants } from 'node:os';
import { processGroupAlive } from './processGroup';

/**
 * Pids of the processes in a process group that are still running. On Linux this reads /proc, which also
 * tells a zombie (already dead, waiting to be reaped) from a live process; elsewhere a group that answers
 * signal 0 counts as one live member.
 */
export function liveGroupMembers(pgid: number): number[] {
  if (process.platform !== 'linux') return processGroupAlive(pgid) ? [pgid] : [];
  const pids = procPids();
  if (!pids) return processGroupAlive(pgid) ? [pgid] : [];
  return pids.filter((pid) => {
    const stat = readStat(pid);
    return stat !== undefined && stat.pgrp === pgid && isLive(stat);
  });
}

/** True if the process exists and is not a zombie (Linux), or answers signal 0 (elsewhere). */
export function processAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    const stat = readStat(pid);
    return stat !== undefined && isLive(stat);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live children of a process (Linux). */
export function liveChildren(ppid: number): number[] {
  return (procPids() ?? []).filter((pid) => {
    const stat = readStat(pid);
    return stat !== undefined && stat.ppid === ppid && isLive(stat);
  });
}

/** The PID namespace of a process, as the kernel names it (e.g. `pid:[4026532180]`), if it can be read (Linux). */
export function pidNamespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/** Live processes in a PID namespace (Linux; only those whose namespace this process may read). */
export function pidNamespaceMembers(namespace: string): number[] {
  return (procPids() ?? []).filter((pid) => pidNamespaceOf(pid) === namespace && processAlive(pid));
}

/** The process's pid as seen inside its innermost PID namespace (the last `NSpid` value; Linux). */
export function innermostPid(pid: number): number | undefined {
  try {
    const line = /^NSpid:\s*(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    const last = line?.trim().split(/\s+/).at(-1);
    return last === undefined ? undefined : Number(last);
  } catch {
    return undefined;
  }
}

/**
 * Live processes whose environment, as it was when they started, holds `entry` (`NAME=value`). Linux only; a
 * process that replaced its environment when it started a program no longer carries it.
 */
export function processesWithEnvironment(entry: string): number[] {
  return (procPids() ?? []).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry) && processAlive(pid);
    } catch {
      return false; // gone, or another user's
    }
  });
}

function procPids(): number[] | undefined {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return undefined;
  }
}

interface ProcStat {
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
}

function isLive(stat: ProcStat): boolean {
  return stat.state !== 'Z' && stat.state !== 'X';
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp …": comm may contain spaces and parentheses, so read after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const ppid = Number(fields[1]);
  const pgrp = Number(fields[2]);
  return state === undefined || Number.isNaN(pgrp) || Number.isNaN(ppid) ? undefined : { state, ppid, pgrp };
}

/** Live descendants of a process, parents before children (Linux). */
export function liveDescendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of procPids() ?? []) {
    const stat = readStat(pid);
    if (!stat || !isLive(stat)) continue;
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(pid);
    else children.set(stat.ppid, [pid]);
  }
  const found: number[] = [];
  for (let queue = [...(children.get(root) ?? [])]; queue.length > 0; ) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** How many PID namespaces deep a process is, counting the one this process sees it in (the `NSpid` values; Linux). */
export function pidNamespaceDepth(pid: number): number {
  try {
    return /^NSpid:\s*(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]?.trim().split(/\s+/).length ?? 0;
  } catch {
    return 0;
  }
}

/** Sends a signal to one process; a process already gone is not an error. */
export function signalPid(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Polls `condition` every 25 ms until it holds or `timeoutMs` passed; true if it held. */
export async function pollUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return condition();
}

/**
 * How a server ended, from the exit of the init (or shell) that stood between it and us: those pass on its exit
 * code, or 128 + the signal that killed it.
 */
export function exitThroughInit(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal: NodeJS.Signals | null } {
  if (code !== null && code > 128) {
    const name = Object.entries(constants.signals).find(([, number]) => number === code - 128)?.[0];
    if (name) return { code: null, signal: name as NodeJS.Signals };
  }
  return { code, signal };
}
