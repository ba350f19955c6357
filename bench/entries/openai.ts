// Bundle-size entry (d): the openai SDK; creates a client and makes one call.
import OpenAI from "openai";

const openai = new OpenAI({ apiKey: "sk-example", dangerouslyAllowBrowser: true });
const completion = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] });
console.log(completion.choices[0]?.message.content);
