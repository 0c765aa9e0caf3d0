import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The reaper: a tiny shell process that outlives the extension host for exactly one purpose. It is told the
 * process group of every running stdio server ("+pgid" / "-pgid" lines on its stdin; "+pgid NAME=value" when the
 * server's processes also carry a marker in their environment). When its stdin closes, because the extension
 * host exited, crashed or was killed without running deactivate(), it sends SIGTERM, then SIGKILL, to every group
 * still listed, and SIGKILL to every process still carrying a listed marker (one that left its group: setsid).
 * A server in a PID namespace needs no marker: SIGTERM to its group ends bubblewrap, which takes the whole
 * namespace with it. Single processes ("p<pid>" / "q<pid>") are the OS sandbox's bridges on this side (socat),
 * which are children of the extension host itself, in its group. The reaper runs in its own process group, so a signal to the editor's group does not reach
 * it. One per extension host; `/bin/sh` costs about a megabyte.
 */
const REAPER_SCRIPT = `
groups=""
markers=""
pids=""
while IFS= read -r line; do
  case "$line" in
    p*) pids="$pids \${line#p}" ;;
    q*) p="\${line#q}"; next=""; for x in $pids; do [ "$x" = "$p" ] || next="$next $x"; done; pids="$next" ;;
    +*) set -- \${line#+}; groups="$groups $1"; [ -z "$2" ] || markers="$markers $1:$2" ;;
    -*) g="\${line#-}"
        next=""; for x in $groups; do [ "$x" = "$g" ] || next="$next $x"; done; groups="$next"
        next=""; for x in $markers; do [ "\${x%%:*}" = "$g" ] || next="$next $x"; done; markers="$next" ;;
  esac
done
[ -n "$groups$pids" ] || exit 0
for g in $groups; do kill -TERM "-$g" 2>/dev/null; done
for p in $pids; do kill -TERM "$p" 2>/dev/null; done
sleep 1
for g in $groups; do kill -KILL "-$g" 2>/dev/null; done
for p in $pids; do kill -KILL "$p" 2>/dev/null; done
for m in $markers; do
  for environ in /proc/[0-9]*/environ; do
    if tr '\\0' '\\n' < "$environ" 2>/dev/null | grep -qxF "\${m#*:}"; then
      pid="\${environ#/proc/}"; kill -KILL "\${pid%/environ}" 2>/dev/null
    fi
  done
done
`;

let reaper: ChildProcess | undefined;

function reaperProcess(): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined; // no process groups; stop uses taskkill /T instead
  if (!reaper || reaper.exitCode !== null || !reaper.stdin?.writable) {
    reaper = spawn('/bin/sh', ['-c', REAPER_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    reaper.on('error', () => (reaper = undefined));
    reaper.stdin?.on('error', () => undefined);
    // Neither the process nor its pipe may keep a host (or a test run) alive.
    reaper.unref();
    (reaper.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }
  return reaper;
}

/**
 * Has the reaper end this process group, and the processes carrying `marker` (`NAME=value`, no spaces), if the
 * extension host goes away while the server runs.
 */
export function reapOnExit(pgid: number, marker?: string): void {
  reaperProcess()?.stdin?.write(`+${pgid}${marker ? ` ${marker}` : ''}\n`);
}

/** The group has been stopped: the reaper forgets it. */
export function forgetOnExit(pgid: number): void {
  if (reaper?.stdin?.writable) reaper.stdin.write(`-${pgid}\n`);
}

/** Has the reaper end this one process (not its group) if the extension host goes away first. */
export function reapPidOnExit(pid: number): void {
  reaperProcess()?.stdin?.write(`p${pid}\n`);
}

/** The process has been stopped: the reaper forgets it. */
export function forgetPidOnExit(pid: number): void {
  if (reaper?.stdin?.writable) reaper.stdin.write(`q${pid}\n`);
}
