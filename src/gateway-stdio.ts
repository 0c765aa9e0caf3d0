// The stdio bridge to MCP Warden's gateway, for agents that only start MCP servers as processes (bundled as
// dist/gateway-stdio.js; Node built-ins only). It says who it is on the gateway's Unix socket (a named pipe on
// Windows), then pipes stdin and stdout to it byte for byte: it reads no MCP.
//   node gateway-stdio.js [--socket <path>] [--token-file <path> | --token-env <NAME>] [--agent <id>]
// The socket comes from --socket or MCP_WARDEN_GATEWAY_SOCKET, the token from --token-file, from the variable
// --token-env names, or from MCP_WARDEN_TOKEN (never from the command line, which other users can read).
import { readFileSync, statSync } from 'node:fs';
import net from 'node:net';

const args = process.argv.slice(2);

function option(name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

function fail(message: string): never {
  process.stderr.write(`mcp-warden gateway-stdio: ${message}\n`);
  process.exit(1);
}

function readToken(): string {
  const file = option('token-file');
  if (file === undefined) {
    const variable = option('token-env') ?? 'MCP_WARDEN_TOKEN';
    return process.env[variable] || fail(`no token: set ${variable} in the environment this agent starts from (MCP Warden: Connect Another Agent… shows it), or pass --token-file <path>`);
  }
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    fail(`cannot read the token file ${file}: ${(error as Error).message}`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) fail(`the token file ${file} can be read by other users; make it private (chmod 600 ${file})`);
  const token = readFileSync(file, 'utf8').trim();
  return token || fail(`the token file ${file} is empty`);
}

const socketPath = option('socket') ?? process.env['MCP_WARDEN_GATEWAY_SOCKET'] ?? fail('no gateway socket: set MCP_WARDEN_GATEWAY_SOCKET or pass --socket <path>');
const token = readToken();
const agent = option('agent');

const socket = net.connect(socketPath);
let connected = false;
let stdinEnded = false;

socket.on('error', (error: NodeJS.ErrnoException) => {
  if (connected) fail(`the connection to MCP Warden's gateway failed: ${error.message}`);
  const gone = error.code === 'ENOENT' || error.code === 'ECONNREFUSED';
  fail(gone ? `MCP Warden's gateway is not running at ${socketPath} (is the editor with MCP Warden open?)` : `cannot reach MCP Warden's gateway at ${socketPath}: ${error.message}`);
});

socket.once('connect', () => socket.write(`${JSON.stringify({ token, ...(agent !== undefined && { agent }) })}\n`));

// The gateway's answer to the hello line: `{"ok":true}` then MCP, or `{"refused":"…"}` and the end.
let buffered = Buffer.alloc(0);
const onHello = (chunk: Buffer) => {
  buffered = Buffer.concat([buffered, chunk]);
  const end = buffered.indexOf(0x0a);
  if (end < 0) return;
  socket.off('data', onHello);
  let reply: { ok?: unknown; refused?: unknown };
  try {
    reply = JSON.parse(buffered.subarray(0, end).toString('utf8')) as typeof reply;
  } catch {
    fail('the gateway answered something this bridge does not understand (is MCP Warden up to date?)');
  }
  if (reply.ok !== true) fail(typeof reply.refused === 'string' ? reply.refused : 'MCP Warden refused the connection');
  connected = true;
  const rest = buffered.subarray(end + 1);
  if (rest.length > 0) process.stdout.write(rest);
  socket.pipe(process.stdout);
  process.stdin.pipe(socket);
};
socket.on('data', onHello);

process.stdin.on('end', () => {
  stdinEnded = true;
  socket.end();
});

socket.on('close', () => {
  if (!connected) fail('MCP Warden closed the connection before it said hello');
  if (!stdinEnded) fail("MCP Warden's gateway closed the connection (the editor closed, or the gateway stopped)");
  process.exit(0);
});
