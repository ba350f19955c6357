/**
 * LangChain JS against the mock: `ChatOpenAI` and `OpenAIEmbeddings` (@langchain/openai, pointed at the mock with
 * `configuration.baseURL` as its README shows) and `ChatAnthropic` (@langchain/anthropic, `anthropicApiUrl`) on
 * both Anthropic bases; `invoke` and `stream` at their defaults.
 */
import { ChatAnthropic } from "@langchain/anthropic";
import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { describe, expect, it } from "vitest";
import { TEST_KEY, mockBaseUrl } from "../lib/calls.js";

type Chat = { invoke(input: string): Promise<{ text: string }>; stream(input: string): Promise<AsyncIterable<{ text: string }>> };

async function streamed(model: Chat): Promise<string> {
  let text = "";
  for await (const chunk of await model.stream("Say hello")) text += chunk.text;
  return text;
}

describe("LangChain, @langchain/openai", () => {
  const chat = () => new ChatOpenAI({ model: "gpt-4o-mini", apiKey: TEST_KEY, configuration: { baseURL: `${mockBaseUrl()}/v1` } });

  it("ChatOpenAI.invoke: the text", async () => {
    expect((await chat().invoke("Say hello")).text).toMatch(/\S/);
  });

  it("ChatOpenAI.stream: text assembled from the chunks", async () => {
    expect(await streamed(chat())).toMatch(/\S/);
  });

  it("OpenAIEmbeddings: embedQuery and embedDocuments give non-zero vectors, one per document", async () => {
    const embeddings = new OpenAIEmbeddings({ model: "text-embedding-3-small", apiKey: TEST_KEY, configuration: { baseURL: `${mockBaseUrl()}/v1` } });
    const query = await embeddings.embedQuery("blue whale");
    expect(query.length).toBeGreaterThan(0);
    expect(query.every((v) => v !== 0)).toBe(true);
    const docs = await embeddings.embedDocuments(["a", "b", "c"]);
    expect(docs).toHaveLength(3);
    for (const d of docs) expect(d).toHaveLength(query.length);
  });
});

for (const base of ["", "/anthropic"]) {
  describe(`LangChain, @langchain/anthropic with anthropicApiUrl on "${base || "/"}"`, () => {
    const chat = () => new ChatAnthropic({ model: "claude-haiku-4-5", apiKey: TEST_KEY, anthropicApiUrl: mockBaseUrl() + base });

    it("ChatAnthropic.invoke: the text", async () => {
      expect((await chat().invoke("Say hello")).text).toMatch(/\S/);
    });

    it("ChatAnthropic.stream: text assembled from the chunks", async () => {
      expect(await streamed(chat())).toMatch(/\S/);
    });
  });
}
