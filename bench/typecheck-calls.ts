/**
 * The 20 calls of the type-check section, each written once against createElkClient and once against the
 * openai SDK. Only operations both have: chat completions, embeddings, images (generate, edit), responses
 * (create, retrieve), moderations, audio (speech, transcriptions, translations), models, videos (create,
 * retrieve). Each call uses a field of its answer, so the response types are checked too. `elk`, `openai` and
 * `file` (a File) are in scope; the code is the body of an async function.
 */

/** One call, both ways. */
export interface CallPair {
  id: string;
  /** Our operationId. */
  operationId: string;
  /** The openai SDK method. */
  openai: string;
  elkCode: string;
  openaiCode: string;
  /** Where the elkapi side needs a cast or a runtime check the openai side does not: why. */
  elkWorkaround?: string;
}

const chat = `model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }]`;
const tools = `tools: [{ type: "function", function: { name: "get_weather", description: "Weather in a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }], tool_choice: "auto"`;
const jsonSchema = `response_format: { type: "json_schema", json_schema: { name: "answer", strict: true, schema: { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false } } }`;

/** The 20 calls. */
export const CALLS: CallPair[] = [
  {
    id: "chat-basic",
    operationId: "createChatCompletion",
    openai: "chat.completions.create",
    elkCode: `const { data } = await elk.POST("/v1/chat/completions", { body: { ${chat} } });\nreturn data.choices[0]?.message.content;`,
    openaiCode: `const r = await openai.chat.completions.create({ ${chat} });\nreturn r.choices[0]?.message.content;`,
  },
  {
    id: "chat-params",
    operationId: "createChatCompletion",
    openai: "chat.completions.create",
    elkCode: `const { data } = await elk.POST("/v1/chat/completions", { body: { model: "gpt-4o-mini", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }], temperature: 0.2, max_tokens: 64, stop: ["\\n"], seed: 7 } });\nreturn data.usage?.total_tokens;`,
    openaiCode: `const r = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }], temperature: 0.2, max_tokens: 64, stop: ["\\n"], seed: 7 });\nreturn r.usage?.total_tokens;`,
  },
  {
    id: "chat-tools",
    operationId: "createChatCompletion",
    openai: "chat.completions.create",
    elkCode: `const { data } = await elk.POST("/v1/chat/completions", { body: { ${chat}, ${tools} } });\nconst call = data.choices[0]?.message.tool_calls?.[0];\nreturn call?.function.name;`,
    openaiCode: `const r = await openai.chat.completions.create({ ${chat}, ${tools} });\nconst call = r.choices[0]?.message.tool_calls?.[0];\nreturn call?.type === "function" ? call.function.name : undefined;`,
  },
  {
    id: "chat-json-schema",
    operationId: "createChatCompletion",
    openai: "chat.completions.create",
    elkCode: `const { data } = await elk.POST("/v1/chat/completions", { body: { ${chat}, ${jsonSchema} } });\nreturn data.choices[0]?.finish_reason;`,
    openaiCode: `const r = await openai.chat.completions.create({ ${chat}, ${jsonSchema} });\nreturn r.choices[0]?.finish_reason;`,
  },
  {
    id: "chat-stream",
    operationId: "createChatCompletion",
    openai: "chat.completions.create (stream: true)",
    elkCode: `const stream = await elk.stream("createChatCompletion", { body: { ${chat} } });\nlet text = "";\nfor await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";\nreturn text;`,
    openaiCode: `const stream = await openai.chat.completions.create({ ${chat}, stream: true });\nlet text = "";\nfor await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";\nreturn text;`,
  },
  {
    id: "embeddings",
    operationId: "createEmbedding",
    openai: "embeddings.create",
    elkCode: `const { data } = await elk.POST("/v1/embeddings", { body: { model: "text-embedding-3-small", input: "hello" } });\nreturn data.data[0]?.embedding;`,
    openaiCode: `const r = await openai.embeddings.create({ model: "text-embedding-3-small", input: "hello" });\nreturn r.data[0]?.embedding;`,
  },
  {
    id: "embeddings-batch",
    operationId: "createEmbedding",
    openai: "embeddings.create",
    elkCode: `const { data } = await elk.POST("/v1/embeddings", { body: { model: "text-embedding-3-large", input: ["a", "b"], dimensions: 256, encoding_format: "float" } });\nreturn data.data.length;`,
    openaiCode: `const r = await openai.embeddings.create({ model: "text-embedding-3-large", input: ["a", "b"], dimensions: 256, encoding_format: "float" });\nreturn r.data.length;`,
  },
  {
    id: "images-generate",
    operationId: "createImage",
    openai: "images.generate",
    elkCode: `const { data } = await elk.POST("/v1/images/generations", { body: { model: "gpt-image-1", prompt: "a lighthouse at dusk" } });\nreturn data.data[0]?.b64_json;`,
    openaiCode: `const r = await openai.images.generate({ model: "gpt-image-1", prompt: "a lighthouse at dusk" });\nreturn r.data?.[0]?.b64_json;`,
  },
  {
    id: "images-generate-options",
    operationId: "createImage",
    openai: "images.generate",
    elkCode: `const { data } = await elk.POST("/v1/images/generations", { body: { model: "dall-e-3", prompt: "a fox", n: 1, size: "1024x1024", quality: "hd", response_format: "url" } });\nreturn data.data[0]?.url;`,
    openaiCode: `const r = await openai.images.generate({ model: "dall-e-3", prompt: "a fox", n: 1, size: "1024x1024", quality: "hd", response_format: "url" });\nreturn r.data?.[0]?.url;`,
  },
  {
    id: "images-edit",
    operationId: "createImageEdit",
    openai: "images.edit",
    elkCode: `const { data } = await elk.POST("/v1/images/edits", { body: { model: "gpt-image-1", image: file, prompt: "add a lamp" } });\nreturn data.data[0]?.b64_json;`,
    openaiCode: `const r = await openai.images.edit({ model: "gpt-image-1", image: file, prompt: "add a lamp" });\nreturn r.data?.[0]?.b64_json;`,
  },
  {
    id: "responses-text",
    operationId: "createResponse",
    openai: "responses.create",
    elkCode: `const { data } = await elk.POST("/v1/responses", { body: { model: "gpt-4.1", input: "Tell me a joke" } });\nreturn data.output_text;`,
    openaiCode: `const r = await openai.responses.create({ model: "gpt-4.1", input: "Tell me a joke" });\nreturn r.output_text;`,
  },
  {
    id: "responses-messages",
    operationId: "createResponse",
    openai: "responses.create",
    elkCode: `const { data } = await elk.POST("/v1/responses", { body: { model: "gpt-4.1", instructions: "Be brief.", input: [{ role: "user", content: "Hi" }], max_output_tokens: 100 } });\nreturn data.status;`,
    openaiCode: `const r = await openai.responses.create({ model: "gpt-4.1", instructions: "Be brief.", input: [{ role: "user", content: "Hi" }], max_output_tokens: 100 });\nreturn r.status;`,
  },
  {
    id: "responses-retrieve",
    operationId: "getResponse",
    openai: "responses.retrieve",
    elkCode: `const { data } = await elk.GET("/v1/responses/{response_id}", { params: { path: { response_id: "resp_123" } } });\nreturn data.model;`,
    openaiCode: `const r = await openai.responses.retrieve("resp_123");\nreturn r.model;`,
  },
  {
    id: "moderations",
    operationId: "createModeration",
    openai: "moderations.create",
    elkCode: `const { data } = await elk.POST("/v1/moderations", { body: { model: "omni-moderation-latest", input: "some text" } });\nreturn data.results[0]?.flagged;`,
    openaiCode: `const r = await openai.moderations.create({ model: "omni-moderation-latest", input: "some text" });\nreturn r.results[0]?.flagged;`,
  },
  {
    id: "speech",
    operationId: "createSpeech",
    openai: "audio.speech.create",
    elkCode: `const { data } = await elk.POST("/v1/audio/speech", { body: { model: "gpt-4o-mini-tts", input: "Hello", voice: "alloy" }, parseAs: "blob" });\nreturn data.size;`,
    openaiCode: `const r = await openai.audio.speech.create({ model: "gpt-4o-mini-tts", input: "Hello", voice: "alloy" });\nreturn (await r.blob()).size;`,
  },
  {
    id: "transcriptions",
    operationId: "createTranscription",
    openai: "audio.transcriptions.create",
    elkCode: `const { data } = await elk.POST("/v1/audio/transcriptions", { body: { file, model: "whisper-1" } });\nreturn typeof data === "string" ? data : data.text;`,
    openaiCode: `const r = await openai.audio.transcriptions.create({ file, model: "whisper-1" });\nreturn r.text;`,
  },
  {
    id: "translations",
    operationId: "createTranslation",
    openai: "audio.translations.create",
    elkCode: `const { data } = await elk.POST("/v1/audio/translations", { body: { file, model: "whisper-1" } });\nreturn typeof data === "string" ? data : data.text;`,
    openaiCode: `const r = await openai.audio.translations.create({ file, model: "whisper-1" });\nreturn r.text;`,
  },
  {
    id: "models-list",
    operationId: "listModels",
    openai: "models.list",
    elkCode: `const { data } = await elk.GET("/v1/models");\nreturn Array.isArray(data.data) ? data.data.length : 0;`,
    elkWorkaround: "the answer is a union of four list shapes (OpenAI, Anthropic, Gemini, failure), each open to extra keys, so data.data is unknown until checked",
    openaiCode: `const page = await openai.models.list();\nreturn page.data.length;`,
  },
  {
    id: "videos-create",
    operationId: "createVideo",
    openai: "videos.create",
    elkCode: `const { data } = await elk.POST("/v1/videos", { body: { model: "sora-2", prompt: "a paper boat", seconds: "8", size: "1280x720" } });\nreturn data.id;`,
    openaiCode: `const r = await openai.videos.create({ model: "sora-2", prompt: "a paper boat", seconds: "8", size: "1280x720" });\nreturn r.id;`,
  },
  {
    id: "videos-retrieve",
    operationId: "getVideo",
    openai: "videos.retrieve",
    elkCode: `const { data } = await elk.GET("/v1/videos/{task_id}", { params: { path: { task_id: "video_123" } } });\nreturn data.status;`,
    openaiCode: `const r = await openai.videos.retrieve("video_123");\nreturn r.status;`,
  },
];

const indent = (code: string) => code.split("\n").map((l) => `  ${l}`).join("\n");

/** The consumer file for createElkClient: the 20 calls as exported async functions. `importFrom` is the package entry. */
export function elkConsumer(importFrom: string): string {
  return [
    `// Generated by bench/typecheck.ts: ${CALLS.length} calls against createElkClient.`,
    `import { createElkClient } from "${importFrom}";`,
    `const elk = createElkClient({ apiKey: "sk-example" });`,
    `const file = new File([new Uint8Array(8)], "input.png", { type: "image/png" });`,
    ...CALLS.map((c, i) => `export async function call${String(i + 1).padStart(2, "0")}() {\n  // ${c.id}: ${c.operationId}\n${indent(c.elkCode)}\n}`),
    "",
  ].join("\n");
}

/**
 * A call as bare openapi-fetch makes it: the same path and init, `data` checked for undefined (openapi-fetch
 * returns errors instead of throwing); the stream as the raw body (openapi-fetch has no SSE helper).
 */
export function openapiFetchCode(c: CallPair): string {
  if (c.elkCode.includes("elk.stream(")) {
    return `const { data } = await client.POST("/v1/chat/completions", { body: { ${chat}, stream: true }, parseAs: "stream" });\nreturn data;`;
  }
  const [call, ...rest] = c.elkCode.replace(/\belk\.(GET|POST)\(/, "client.$1(").split("\n");
  return [call, `if (!data) throw new Error("no data");`, ...rest].join("\n");
}

/** The consumer file for bare openapi-fetch typed by the same generated paths: the same 20 calls. */
export function openapiFetchConsumer(schemaFrom: string): string {
  return [
    `// Generated by bench/typecheck.ts: ${CALLS.length} calls against bare openapi-fetch.`,
    `import createClient from "openapi-fetch";`,
    `import type { paths } from "${schemaFrom}";`,
    `const client = createClient<paths, "application/json">({ baseUrl: "https://api.elkapi.com", headers: { Authorization: "Bearer sk-example" } });`,
    `const file = new File([new Uint8Array(8)], "input.png", { type: "image/png" });`,
    ...CALLS.map((c, i) => `export async function call${String(i + 1).padStart(2, "0")}() {\n  // ${c.id}: ${c.operationId}\n${indent(openapiFetchCode(c))}\n}`),
    "",
  ].join("\n");
}

/** The consumer file for the openai SDK: the same 20 calls. */
export function openaiConsumer(): string {
  return [
    `// Generated by bench/typecheck.ts: ${CALLS.length} calls against the openai SDK.`,
    `import OpenAI from "openai";`,
    `const openai = new OpenAI({ apiKey: "sk-example" });`,
    `const file = new File([new Uint8Array(8)], "input.png", { type: "image/png" });`,
    ...CALLS.map((c, i) => `export async function call${String(i + 1).padStart(2, "0")}() {\n  // ${c.id}: ${c.openai}\n${indent(c.openaiCode)}\n}`),
    "",
  ].join("\n");
}
