/**
 * The secrets a sandboxed server may not read even under a broad read grant (its home folder, say): they stay in
 * `denyRead`, more specific than the grant. A grant at or below one of them re-opens exactly what it names — the
 * user asked for that very path — while a broader grant (home, `/`) does not.
 */
import { isAtOrUnder, posixPath, sortedUnique } from './posixPath';

export interface ProtectedGroup {
  /** Why these are protected, in one line (shown in the docs and the profile view). */
  readonly why: string;
  /** Paths relative to the home folder. */
  readonly paths: readonly string[];
}

export const PROTECTED_UNDER_HOME: readonly ProtectedGroup[] = [
  { why: 'SSH and GPG keys sign in to machines and sign code as the user', paths: ['.ssh', '.gnupg'] },
  {
    why: 'cloud and cluster credentials reach accounts far beyond this machine',
    paths: ['.aws', '.azure', '.config/gcloud', '.kube', '.docker/config.json'],
  },
  {
    why: 'package and source host tokens publish code and read private repositories',
    paths: ['.config/gh', '.netrc', '.git-credentials', '.npmrc', '.pypirc'],
  },
  {
    why: 'browser profiles hold cookies, sessions and saved passwords',
    paths: [
      '.mozilla',
      '.config/google-chrome',
      '.config/chromium',
      '.config/BraveSoftware',
      'Library/Application Support/Google/Chrome',
      'Library/Application Support/Firefox',
    ],
  },
  { why: 'keychains and password stores hold every other secret', paths: ['Library/Keychains', '.local/share/keyrings', '.password-store'] },
  {
    why: "the editor's own storage backs SecretStorage (MCP Warden's grant key, OAuth tokens) and other extensions' data",
    paths: [
      '.config/Code',
      '.config/Code - Insiders',
      '.vscode-server',
      '.local/share/code-server',
      '.config/code-server',
      'Library/Application Support/Code',
    ],
  },
];

/** Every protected path under `home`, absolute. */
export function protectedUnderHome(home: string): string[] {
  const root = posixPath(home);
  if (root === undefined) return [];
  return PROTECTED_UNDER_HOME.flatMap((group) => group.paths.map((path) => posixPath(`${root}/${path}`)!));
}

/**
 * The protected paths that stay denied: all of `home`'s and `extra`, minus each one a grant names exactly (a grant
 * below one is more specific than its deny, so the runtime lets that grant through by itself).
 */
export function protectedDenials(home: string, extra: readonly string[], grantedPaths: readonly string[]): string[] {
  const granted = new Set(grantedPaths);
  const all = [...protectedUnderHome(home), ...extra.map(posixPath).filter((path): path is string => path !== undefined)];
  return sortedUnique(all.filter((path) => path !== '/' && !granted.has(path)));
}

/** The protected path that `path` lies at or below, if any: the grant it takes re-opens a secret. */
export function protectedPathOf(path: string, home: string, extra: readonly string[] = []): string | undefined {
  const all = [...protectedUnderHome(home), ...extra.map(posixPath).filter((p): p is string => p !== undefined)];
  return all.find((protectedPath) => isAtOrUnder(path, protectedPath));
}
