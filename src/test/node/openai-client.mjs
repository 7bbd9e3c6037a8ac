// The official OpenAI Node client, unmodified, against Steward's /v1/chat/completions. Prints one JSON line.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: `${process.env.STEWARD_URL}/v1`, apiKey: process.env.STEWARD_KEY, maxRetries: 0 });
const model = process.env.STEWARD_AGENT;

const completion = await client.chat.completions.create({
  model,
  messages: [
    { role: 'system', content: 'ignored: the agent has its own instructions' },
    { role: 'user', content: 'hello from node' },
    { role: 'assistant', content: 'You said: hello from node' },
    { role: 'user', content: 'and what was my first message?' },
  ],
});

const stream = await client.chat.completions.create({
  model,
  messages: [{ role: 'user', content: 'stream this please' }],
  stream: true,
  stream_options: { include_usage: true },
});
let streamed = '';
let chunks = 0;
let streamUsage = null;
for await (const chunk of stream) {
  chunks += 1;
  streamed += chunk.choices[0]?.delta?.content ?? '';
  if (chunk.usage) streamUsage = chunk.usage;
}

const models = [];
for await (const listed of client.models.list()) {
  models.push(listed.id);
}

let missing = null;
try {
  await client.chat.completions.create({ model: 'no-such-agent', messages: [{ role: 'user', content: 'x' }] });
} catch (e) {
  missing = { status: e.status, code: e.code, type: e.type };
}

console.log(JSON.stringify({
  id: completion.id,
  answer: completion.choices[0].message.content,
  finishReason: completion.choices[0].finish_reason,
  usage: completion.usage,
  streamed,
  chunks,
  streamUsage,
  missing,
  models,
}));
