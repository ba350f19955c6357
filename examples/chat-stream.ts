/**
 * Chat with streaming: prints the answer as it arrives, then the token count of the accumulated answer.
 * Run: ELKAPI_API_KEY=sk-... npx tsx examples/chat-stream.ts "your question"
 * (against the mock: ELKAPI_BASE_URL=http://127.0.0.1:4010 and any key).
 */
import { createElkClient } from "elkapi";

const question = process.argv[2] ?? "Write a haiku about an elk in the snow.";
const elk = createElkClient();

const stream = await elk.stream("createChatCompletion", {
  body: {
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: question }],
    stream_options: { include_usage: true },
  },
});
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? "");

const answer = await stream.final(); // the whole chat.completion, as a non-streamed call would give it
process.stdout.write(`\n[${answer.usage?.total_tokens ?? "?"} tokens, finish: ${answer.choices[0]?.finish_reason}]\n`);
