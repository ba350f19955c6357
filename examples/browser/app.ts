/**
 * A tiny frontend on the mock: the page asks the chat endpoint and streams the answer into the page.
 * The mock's base URL comes from `?mock=` (default http://127.0.0.1:4010). Bundled by serve.ts with esbuild.
 * A real key must never ship to a browser: this talks to the mock (or to your own backend proxy).
 */
import { ElkApiError, createElkClient } from "elkapi";

const mock = new URLSearchParams(location.search).get("mock") ?? "http://127.0.0.1:4010";
const elk = createElkClient({ apiKey: "sk-mock-only", baseUrl: mock, maxRetries: 0 });
const form = document.querySelector<HTMLFormElement>("#ask")!;
const answer = document.querySelector<HTMLDivElement>("#answer")!;
document.querySelector("#mock")!.textContent = mock;

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const question = document.querySelector<HTMLInputElement>("#question")!.value;
  answer.textContent = "";
  answer.className = "";
  try {
    const stream = await elk.stream("createChatCompletion", {
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: question }] },
    });
    for await (const chunk of stream) answer.textContent += chunk.choices[0]?.delta?.content ?? "";
    answer.dataset.done = "true";
  } catch (e) {
    answer.className = "error";
    answer.textContent = e instanceof ElkApiError ? `${e.name}: ${e.message}` : String(e);
    answer.dataset.done = "true";
  }
});
