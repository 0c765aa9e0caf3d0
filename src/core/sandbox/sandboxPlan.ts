/**
 * Whether a stdio server runs in the OS sandbox, without it, or not at all: mcpWarden.sandbox.mode against what
 * this machine offers. The messages say what happened, why, and what the user can do.
 */
import type { SandboxAvailability, SandboxMode } from './sandboxProfile';

export type SandboxPlan =
  | { readonly run: 'sandboxed' }
  | { readonly run: 'unsandboxed'; readonly warning?: string }
  | { readonly run: 'refused'; readonly message: string };

export const SANDBOX_MODE_SETTING = 'mcpWarden.sandbox.mode';

export function sandboxPlan(mode: SandboxMode, availability: SandboxAvailability): SandboxPlan {
  if (mode === 'off') {
    return {
      run: 'unsandboxed',
      warning:
        `${SANDBOX_MODE_SETTING} is off: servers run without the OS sandbox, so file and network grants are advisory ` +
        `(MCP Warden checks what a server asks for, not what it does). Set ${SANDBOX_MODE_SETTING} to required or ` +
        'preferred in your user settings to turn the sandbox on.',
    };
  }
  if (availability.available) return { run: 'sandboxed' };
  const why = sentence(availability.reason);
  const remedy = sentence(availability.remedy);
  if (mode === 'required') {
    return {
      run: 'refused',
      message:
        `Not started: ${SANDBOX_MODE_SETTING} is required, and the OS sandbox is not available on this machine ` +
        `(${why}). To fix this: ${remedy}; or set ${SANDBOX_MODE_SETTING} to preferred in your user settings to ` +
        'run servers without the sandbox, with a warning.',
    };
  }
  return {
    run: 'unsandboxed',
    warning:
      `Running without the OS sandbox: it is not available on this machine (${why}), so file and network grants are ` +
      `advisory. To fix this: ${remedy}; or set ${SANDBOX_MODE_SETTING} to required in your user settings to refuse ` +
      'to start servers without it.',
  };
}

/** Text from elsewhere, fit to sit inside a sentence: trimmed, without its closing full stop. */
function sentence(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}
