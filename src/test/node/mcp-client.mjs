// The official MCP TypeScript SDK client, unmodified, against Steward's /mcp. Prints one JSON line.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const url = new URL(`${process.env.STEWARD_URL}/mcp`);
const connect = async (key) => {
  const client = new Client({ name: 'steward-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  return client;
};

const client = await connect(process.env.STEWARD_KEY);
const server = client.getServerVersion();
const { tools } = await client.listTools();
const agent = await client.callTool({ name: `agent.${process.env.STEWARD_AGENT}`, arguments: { message: 'hello over mcp' } });
const time = await client.callTool({ name: 'tool.current_time', arguments: {} });
const unknown = await client.callTool({ name: 'agent.nobody', arguments: { message: 'x' } }).then(
  (result) => ({ result }), (error) => ({ error: error.message }));
await client.close();

let refused = null;
try {
  await connect('stw_not_a_key');
} catch (error) {
  refused = error.message;
}

console.log(JSON.stringify({
  server: server?.name,
  tools: tools.map((tool) => tool.name),
  agentAnswer: agent.content[0].text,
  agentError: agent.isError ?? false,
  time: time.content[0].text,
  unknown,
  refused,
}));
