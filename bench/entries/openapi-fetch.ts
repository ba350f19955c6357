// Bundle-size entry (a): bare openapi-fetch typed by the spec; creates a client and makes one call.
import createClient from "openapi-fetch";
import type { paths } from "../../generated/schema.js";

const client = createClient<paths, "application/json">({ baseUrl: "https://api.elkapi.com", headers: { Authorization: "Bearer sk-example" } });
const { data } = await client.POST("/v1/chat/completions", { body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] } });
console.log(data?.choices[0]?.message.content);
