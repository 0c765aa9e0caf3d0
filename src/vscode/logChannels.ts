import * as vscode from 'vscode';
import type { Disposable } from '../core/disposable';
import type { Logger } from '../core/ports';

/** Adapts a LogOutputChannel to the core's Logger, blanking out secrets before anything is written. */
export function channelLogger(channel: vscode.LogOutputChannel, redact: (text: string) => string = (t) => t): Logger {
  return {
    trace: (m) => channel.trace(redact(m)),
    debug: (m) => channel.debug(redact(m)),
    info: (m) => channel.info(redact(m)),
    warn: (m) => channel.warn(redact(m)),
    error: (m) => channel.error(redact(m)),
    get traceEnabled() {
      return channel.logLevel === vscode.LogLevel.Trace;
    },
  };
}

/** One "MCP Warden: <server>" output channel per server, created on first use and kept while the server exists. */
export class ServerLogChannels implements Disposable {
  private readonly channels = new Map<string, vscode.LogOutputChannel>();

  constructor(private readonly redact: (text: string) => string) {}

  channel(serverName: string): vscode.LogOutputChannel {
    let channel = this.channels.get(serverName);
    if (!channel) {
      channel = vscode.window.createOutputChannel(`MCP Warden: ${serverName}`, { log: true });
      this.channels.set(serverName, channel);
    }
    return channel;
  }

  logger(serverName: string): Logger {
    return channelLogger(this.channel(serverName), this.redact);
  }

  show(serverName: string): void {
    this.channel(serverName).show(true);
  }

  dispose(): void {
    for (const channel of this.channels.values()) channel.dispose();
    this.channels.clear();
  }
}
