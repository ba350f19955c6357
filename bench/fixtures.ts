/** The request and answer every client in the overhead section exchanges (POST /v1/chat/completions). */

export const API_KEY = "sk-bench-0000000000000000";
export const CHAT_PATH = "/v1/chat/completions";

/** A small chat request body. */
export const CHAT_BODY = {
  model: "gpt-4o-mini",
  messages: [{ role: "user" as const, content: "Hello" }],
};

/** A fixed chat.completion answer (the spec's `basic` example). */
export const CHAT_ANSWER = JSON.stringify({
  id: "chatcmpl-8f2c1d0e9a7b",
  object: "chat.completion",
  created: 1751030400,
  model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "This is the Sydney Harbour Bridge in Australia." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 312, completion_tokens: 11, total_tokens: 323 },
});

/** A fetch that answers every call with a fresh 200 Response holding CHAT_ANSWER, without reading the request. */
export const stubFetch = async (_input: string | URL | Request, _init?: RequestInit): Promise<Response> =>
  new Response(CHAT_ANSWER, { status: 200, headers: { "content-type": "application/json" } });
