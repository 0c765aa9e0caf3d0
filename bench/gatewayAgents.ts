// Agents for the gateway's memory figure, in a process of their own so that their clients do not count in the
// gateway's heap: told over IPC how many to connect (each with its own token, so each is its own agent), each one
// lists the tools and makes one call, as an agent does when it starts, then stays connected until the parent exits.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

interface Connect {
  readonly url: string;
  readonly era: '2025-11-25' | '2026-07-28';
  readonly tokens: readonly string[];
}

const clients: Client[] = [];

async function connect({ url, era, tokens }: Connect): Promise<void> {
  for (const token of tokens) {
    const client = new Client({ name: `bench-agent-${clients.length}`, version: '1.0.0' }, { versionNegotiation: { mode: era === '2025-11-25' ? 'legacy' : { pin: era } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    await client.listTools();
    const result = await client.callTool({ name: 'fixture__echo', arguments: { text: 'hello' } });
    if (result.isError) throw new Error(`agent ${clients.length}: ${JSON.stringify(result)}`);
    clients.push(client);
  }
}

process.on('message', (message: Connect | 'close') => {
  const done =
    message === 'close'
      ? Promise.all(clients.splice(0).map((c) => c.close())).then(() => undefined)
      : connect(message);
  done.then(
    () => process.send?.({ connected: clients.length }),
    (error: unknown) => process.send?.({ error: String(error) }),
  );
});
