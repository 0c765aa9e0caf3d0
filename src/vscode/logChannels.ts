import * as vscode from 'vscode';
import type { Disposable } from '../core/disposable';
import { LogLineRedactor, redactingLogger } from '../core/logRedaction';
import type { Logger } from '../core/ports';

/**
 * Adapts a LogOutputChannel to the core's Logger, blanking out secrets before anything is written: each message
 * goes through the channel's LogLineRedactor (secrets, private keys over several lines, lines over 8 KiB cut).
 */
export function channelLogger(
  channel: vscode.LogOutputChannel,
  redact: (text: string) => string = (t) => t,
  lines: LogLineRedactor = new LogLineRedactor(redact),
): Logger {
  return redactingLogger(
    {
      trace: (m) => channel.trace(m),
      debug: (m) => channel.debug(m),
      info: (m) => channel.info(m),
      warn: (m) => channel.warn(m),
      error: (m) => channel.error(m),
      get traceEnabled() {
        return channel.logLevel === vscode.LogLevel.Trace;
      },
    },
    lines,
  );
}

/** One "MCP Warden: <server>" output channel per server, created on first use and kept while the server exists. */
export class ServerLogChannels implements Disposable {
  /** Each channel has one line redactor, however many loggers write to it, as a key may span their lines. */
  private readonly channels = new Map<string, { readonly channel: vscode.LogOutputChannel; readonly lines: LogLineRedactor }>();

  constructor(private readonly redact: (text: string) => string) {}

  private entry(serverName: string) {
    let entry = this.channels.get(serverName);
    if (!entry) {
      entry = { channel: vscode.window.createOutputChannel(`MCP Warden: ${serverName}`, { log: true }), lines: new LogLineRedactor(this.redact) };
      this.channels.set(serverName, entry);
    }
    return entry;
  }

  channel(serverName: string): vscode.LogOutputChannel {
    return this.entry(serverName).channel;
  }

  logger(serverName: string): Logger {
    const { channel, lines } = this.entry(serverName);
    return channelLogger(channel, this.redact, lines);
  }

  show(serverName: string): void {
    this.channel(serverName).show(true);
  }

  dispose(): void {
    for (const { channel } of this.channels.values()) channel.dispose();
    this.channels.clear();
  }
}
