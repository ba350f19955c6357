// Bundle-size entry (c): createElkClient + streaming + waitForTask; one call of each.
import { createElkClient, submitAndWait, waitForTask } from "../../src/index.js";

const elk = createElkClient({ apiKey: "sk-example" });
const { data } = await elk.POST("/v1/chat/completions", { body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] } });
console.log(data.choices[0]?.message.content);
const stream = await elk.stream("createChatCompletion", { body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] } });
for await (const chunk of stream) console.log(chunk.choices[0]?.delta.content ?? "");
const done = await submitAndWait(elk, "createLumaGeneration", { body: { prompt: "a lantern" } });
console.log(done.status, await waitForTask(elk, "getLumaGeneration", "task-id"));
