import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The reaper: a tiny shell process that outlives the extension host for exactly one purpose. It is told the
 * process group of every running stdio server ("+pgid" / "-pgid" lines on its stdin). When its stdin closes,
 * because the extension host exited, crashed or was killed without running deactivate(), it sends SIGTERM,
 * then SIGKILL, to every group still listed. It runs in its own process group, so a signal to the editor's
 * group does not reach it. One per extension host; `/bin/sh` costs about a megabyte.
 */
const REAPER_SCRIPT = `
groups=""
while IFS= read -r line; do
  case "$line" in
    +*) groups="$groups \${line#+}" ;;
    -*) next=""; for g in $groups; do [ "$g" = "\${line#-}" ] || next="$next $g"; done; groups="$next" ;;
  esac
done
[ -n "$groups" ] || exit 0
for g in $groups; do kill -TERM "-$g" 2>/dev/null; done
sleep 1
for g in $groups; do kill -KILL "-$g" 2>/dev/null; done
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

/** Has the reaper end this process group if the extension host goes away while the server runs. */
export function reapOnExit(pgid: number): void {
  reaperProcess()?.stdin?.write(`+${pgid}\n`);
}

/** The group has been stopped: the reaper forgets it. */
export function forgetOnExit(pgid: number): void {
  if (reaper?.stdin?.writable) reaper.stdin.write(`-${pgid}\n`);
}
