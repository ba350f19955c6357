// Bundle-size entry (e): the Anthropic SDK; creates a client and makes one call.
import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic({ apiKey: "sk-example", dangerouslyAllowBrowser: true });
const message = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "Hello" }] });
console.log(message.content[0]?.type === "text" ? message.content[0].text : "");
