/**
 * Launch commands that download and run a package on the spot (npx, uvx, docker run…): what runs is whatever the
 * registry serves that day, and no signature covers it, so approving such a launch is high-risk.
 */

/** The runner's name (`npx`, `pnpm dlx`, `docker run`…) when `command args` downloads a package, else undefined. */
export function packageRunner(command: string, args: readonly string[]): string | undefined {
  let program = programName(command);
  let rest = args;
  // Windows wraps npx in `cmd /c npx …`.
  if (program === 'cmd' && rest[0] !== undefined && /^\/c$/i.test(rest[0]) && rest[1] !== undefined) {
    program = programName(rest[1]);
    rest = rest.slice(2);
  }
  const words = rest.filter((arg) => !arg.startsWith('-'));
  const [first, second] = words;
  switch (program) {
    case 'npx':
    case 'bunx':
    case 'pnpx':
    case 'uvx':
      return program;
    case 'npm':
      return first === 'exec' || first === 'x' ? `npm ${first}` : undefined;
    case 'pnpm':
    case 'yarn':
      return first === 'dlx' ? `${program} dlx` : undefined;
    case 'bun':
      return first === 'x' ? 'bun x' : undefined;
    case 'pipx':
      return first === 'run' ? 'pipx run' : undefined;
    case 'uv':
      return first === 'tool' && second === 'run' ? 'uv tool run' : undefined;
    case 'docker':
    case 'podman':
      return first === 'run' || (first === 'container' && second === 'run') ? `${program} run` : undefined;
    default:
      return undefined;
  }
}

/** `/usr/local/bin/npx` → `npx`; `C:\…\npx.cmd` → `npx`. */
function programName(command: string): string {
  const base = command.split(/[\\/]/).pop() ?? command;
  return base.toLowerCase().replace(/\.(?:exe|cmd|bat|ps1)$/, '');
}
