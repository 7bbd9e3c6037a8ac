// The official A2A JS SDK client (protocol 1.0), unmodified, against an agent card Steward publishes. Prints one JSON
// line. The tenant's API key goes in through the SDK's own authenticating fetch.
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  createAuthenticatingFetchWithRetry,
} from '@a2a-js/sdk/client';

const base = process.env.STEWARD_URL;
const agent = process.env.STEWARD_AGENT;
const authed = createAuthenticatingFetchWithRetry(fetch, {
  headers: async () => ({ Authorization: `Bearer ${process.env.STEWARD_KEY}` }),
  shouldRetryWithHeaders: async () => undefined,
});
const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
  transports: [new JsonRpcTransportFactory({ fetchImpl: authed })],
  cardResolver: new DefaultAgentCardResolver({ fetchImpl: authed }),
}));
const client = await factory.createFromUrl(`${base}/a2a/${agent}/`);
const card = await client.getAgentCard();

const message = (text, contextId) => ({
  message: { messageId: crypto.randomUUID(), role: 1 /* ROLE_USER */, parts: [{ content: { $case: 'text', value: text } }], contextId: contextId ?? '' },
});
const text = (parts) => (parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');

const first = await client.sendMessage(message('hello over a2a'));
const again = await client.sendMessage(message('and again', first.contextId));
const fetched = await client.getTask({ id: first.id, historyLength: 2 });

let streamed = '';
const kinds = [];
let finalState = null;
for await (const event of client.sendMessageStream(message('stream this', first.contextId))) {
  kinds.push(event.payload.$case);
  if (event.payload.$case === 'artifactUpdate') streamed += text(event.payload.value.artifact.parts);
  if (event.payload.$case === 'statusUpdate') finalState = event.payload.value.status.state;
}

let missing = null;
try {
  await client.getTask({ id: crypto.randomUUID() });
} catch (e) {
  missing = e.constructor.name;
}

console.log(JSON.stringify({
  card: { name: card.name, streaming: card.capabilities?.streaming, skills: card.skills.map((s) => s.id) },
  first: { id: first.id, contextId: first.contextId, state: first.status.state, answer: text(first.artifacts?.[0]?.parts) },
  again: { contextId: again.contextId, answer: text(again.artifacts?.[0]?.parts) },
  fetched: { state: fetched.status.state, history: fetched.history.map((m) => text(m.parts)) },
  streamed,
  kinds,
  finalState,
  missing,
}));
