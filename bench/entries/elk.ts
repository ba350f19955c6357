// Bundle-size entry (b): createElkClient; creates a client and makes one call.
import { createElkClient } from "../../src/index.js";

const elk = createElkClient({ apiKey: "sk-example" });
const { data } = await elk.POST("/v1/chat/completions", { body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] } });
console.log(data.choices[0]?.message.content);
