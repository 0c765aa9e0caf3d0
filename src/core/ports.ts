import type { Disposable } from './disposable';

/** Log levels, lowest first. Matches VS Code's LogOutputChannel levels. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Where the core writes what happened; adapters map it to output channels. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** True when trace lines are shown, so callers can skip building expensive trace text. */
  readonly traceEnabled: boolean;
}

/** Time and timers, so the state machine can be tested without waiting. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): Disposable;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    return { dispose: () => clearTimeout(handle) };
  },
};

export const nullLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  traceEnabled: false,
};

/** Turns anything thrown into a message a user can read. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
