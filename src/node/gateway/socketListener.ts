// The gateway's stdio face: `node dist/gateway-stdio.js` pipes an agent's stdio to this Unix socket (a named pipe on
// Windows). Only the user can reach the socket (its directory is 0700); the first line still carries a token, so a
// connection is an agent MCP Warden connected, and the audit log can name it.
import { randomUUID } from 'node:crypto';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import type { Server } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { errorMessage, type Logger } from '../../core/ports';
import type { AgentOfToken } from './agentTokens';
import type { AgentConnection } from './gatewayServer';
import { AGGREGATE } from './gatewayViews';

export interface SocketListenerDeps {
  readonly agentOfToken: AgentOfToken;
  readonly createServer: (connection: AgentConnection) => Server;
  readonly logger: Logger;
}

/** The hello line may be this long, and must come this soon. */
const MAX_HELLO_BYTES = 4096;
const HELLO_TIMEOUT_MS = 10_000;
/** Unix socket paths are limited to about 104 bytes (macOS) or 108 (Linux). */
const MAX_SOCKET_PATH = 100;

export class SocketListener {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly live = new Map<net.Socket, Server[]>();
  private path: string | undefined;

  constructor(private readonly deps: SocketListenerDeps) {}

  /** The server instances of every open connection, for list_changed. */
  *servers(): Iterable<Server> {
    for (const servers of this.live.values()) yield* servers;
  }

  /** Listens in `directory` (made 0700 if it is the user's), or on a fresh named pipe on Windows; returns the path. */
  async listen(directory: string): Promise<string> {
    const path = process.platform === 'win32' ? `\\\\.\\pipe\\mcp-warden-${randomUUID()}` : join(directory, 'gateway.sock');
    if (process.platform !== 'win32') {
      privateDirectory(directory);
      if (Buffer.byteLength(path) > MAX_SOCKET_PATH) throw new Error(`gateway: the socket path ${path} is too long for a Unix socket; use a shorter directory`);
    }
    try {
      await this.listenOn(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || process.platform === 'win32') throw error;
      if (await somebodyListens(path)) throw new Error(`gateway: another process listens on ${path}`, { cause: error });
      // Left by a gateway that did not close (the extension host was killed).
      unlinkSync(path);
      await this.listenOn(path);
    }
    if (process.platform !== 'win32') chmodSync(path, 0o600);
    this.path = path;
    return path;
  }

  async close(): Promise<void> {
    for (const socket of this.live.keys()) socket.destroy();
    this.live.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.path && process.platform !== 'win32') {
      try {
        unlinkSync(this.path);
      } catch {
        // already gone
      }
    }
  }

  private listenOn(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(path, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
  }

  private accept(socket: net.Socket): void {
    socket.on('error', (error) => this.deps.logger.debug(`gateway (stdio bridge): ${error.message}`));
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => refuse('no hello line came'), HELLO_TIMEOUT_MS);
    const refuse = (why: string) => {
      clearTimeout(timer);
      socket.off('data', onData);
      this.deps.logger.info(`gateway: refused a stdio bridge connection: ${why}`);
      socket.end(`${JSON.stringify({ refused: `MCP Warden refused the connection: ${why}` })}\n`);
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf(0x0a);
      if (end < 0) {
        if (buffered.length > MAX_HELLO_BYTES) refuse('the hello line is too long');
        return;
      }
      clearTimeout(timer);
      socket.off('data', onData);
      const agent = this.agentOf(buffered.subarray(0, end).toString('utf8'));
      if (!agent) return refuse('the token is not one MCP Warden issued, or it was revoked; connect the agent again');
      socket.pause();
      const rest = buffered.subarray(end + 1);
      if (rest.length > 0) socket.unshift(rest);
      socket.write(`${JSON.stringify({ ok: true, agent: agent.id })}\n`);
      this.serve(socket, agent.id);
      // serveStdio has its reader on the socket now (StdioServerTransport.start attaches it synchronously).
      socket.resume();
    };
    socket.on('data', onData);
  }

  private agentOf(line: string): { readonly id: string } | undefined {
    try {
      const hello = JSON.parse(line) as { token?: unknown };
      return typeof hello.token === 'string' ? this.deps.agentOfToken(hello.token) : undefined;
    } catch {
      return undefined;
    }
  }

  private serve(socket: net.Socket, agent: string): void {
    const servers: Server[] = [];
    this.live.set(socket, servers);
    socket.once('close', () => this.live.delete(socket));
    serveStdio(
      () => {
        const server = this.deps.createServer({ agent, endpoint: AGGREGATE });
        servers.push(server);
        return server;
      },
      { transport: new StdioServerTransport(socket, socket), onerror: (error) => this.deps.logger.debug(`gateway (stdio bridge): ${errorMessage(error)}`) },
    );
  }
}

/** The socket's directory must be the user's alone: another user who can enter it can connect. */
function privateDirectory(directory: string): void {
  const stat = lstatSync(directory);
  if (!stat.isDirectory()) throw new Error(`gateway: ${directory} is not a directory`);
  if (process.getuid && stat.uid !== process.getuid()) throw new Error(`gateway: ${directory} belongs to another user`);
  if ((stat.mode & 0o077) !== 0) chmodSync(directory, 0o700);
}

function somebodyListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
