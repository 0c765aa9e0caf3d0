import * as vscode from 'vscode';
import type { Disposable } from '../core/disposable';
import { errorMessage, type Logger } from '../core/ports';

/** A command's body: what it works on, then the arguments VS Code (or a caller) passes. */
export type CommandHandler<Deps> = (deps: Deps, ...args: unknown[]) => unknown;

/**
 * Registers command handlers by id. A failing command shows its error and logs it; it never rejects into the
 * host, except where `rethrows` says the caller should see its own error (a programmatic call with bad arguments).
 */
export function registerCommandHandlers<Deps>(
  handlers: Readonly<Record<string, CommandHandler<Deps>>>,
  deps: Deps,
  logger: Logger,
  rethrows: (id: string, args: readonly unknown[]) => boolean = () => false,
): Disposable[] {
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(deps, ...args);
      } catch (error) {
        if (rethrows(id, args)) throw error;
        logger.error(`${id}: ${errorMessage(error)}`);
        void vscode.window.showErrorMessage(`MCP Warden: ${errorMessage(error)}`);
        return undefined;
      }
    }),
  );
}
