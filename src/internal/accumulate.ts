/**
 * Building the final answer from stream events, as the major SDKs do (openai-node's
 * `ChatCompletionStream.finalChatCompletion()`, the Anthropic SDK's `MessageStream.finalMessage()`). The protocol is
 * recognised from the events themselves, so any operation speaking one of these protocols works:
 * - OpenAI chat chunks (`object: "chat.completion.chunk"`) → a `chat.completion` object;
 * - Anthropic messages events (`message_start` ... `message_stop`) → a `message` object;
 * - OpenAI Responses events (`response.*`) → the `response` of the last `response.completed` / `.incomplete` /
 *   `.failed` event (or of the latest event carrying one);
 * - OpenAI image stream events (`image_generation.*`) → an images response `{ created, data: [{ b64_json }], usage }`;
 * - anything else → the last event.
 */
import { asRecord } from "./values.js";

type Obj = Record<string, unknown>;
const obj = asRecord as (v: unknown) => Obj | undefined;

/** Accumulates events into the final answer. */
export interface Accumulator {
  add(event: unknown): void;
  /** The answer so far (undefined before any event). */
  result(): unknown;
  /** The answer's text: chat content of choice 0, Anthropic text blocks, Responses output_text; "" when none. */
  text(): string;
}

/** Merges an OpenAI chat delta into a message: strings concatenate, tool calls merge by index. */
function mergeDelta(message: Obj, delta: Obj): void {
  for (const [key, value] of Object.entries(delta)) {
    if (key === "tool_calls" && Array.isArray(value)) {
      const calls = (message.tool_calls as Obj[] | undefined) ?? (message.tool_calls = []);
      for (const part of value as Obj[]) {
        const index = typeof part.index === "number" ? part.index : calls.length;
        const call = (calls[index] ??= { id: "", type: "function", function: { name: "", arguments: "" } }) as Obj;
        for (const [k, v] of Object.entries(part)) {
          if (k === "index") continue;
          if (k === "function" && obj(v)) {
            const fn = obj(call.function) ?? (call.function = {});
            const f = fn as Obj;
            for (const [fk, fv] of Object.entries(v as Obj)) f[fk] = typeof fv === "string" && typeof f[fk] === "string" ? (f[fk] as string) + fv : fv;
          } else if (v !== null && v !== undefined && v !== "") call[k] = v;
        }
      }
    } else if (key === "role") {
      if (value) message.role = value;
    } else if (typeof value === "string") {
      message[key] = typeof message[key] === "string" ? (message[key] as string) + value : value;
    } else if (value !== null && value !== undefined) {
      message[key] = value;
    } else if (!(key in message)) {
      message[key] = value;
    }
  }
}

function chatAccumulator(): Accumulator {
  let completion: Obj | undefined;
  const choices: Obj[] = [];
  return {
    add(event) {
      const chunk = obj(event);
      if (!chunk) return;
      if (!completion) {
        completion = { id: chunk.id, object: "chat.completion", created: chunk.created, model: chunk.model, choices };
      }
      for (const key of ["system_fingerprint", "service_tier", "usage"]) if (chunk[key] !== undefined && chunk[key] !== null) completion[key] = chunk[key];
      for (const c of (chunk.choices as Obj[] | undefined) ?? []) {
        const index = typeof c.index === "number" ? c.index : 0;
        const choice = (choices[index] ??= { index, message: { role: "assistant", content: null }, finish_reason: null, logprobs: null });
        const delta = obj(c.delta);
        if (delta) mergeDelta(choice.message as Obj, delta);
        if (c.finish_reason) choice.finish_reason = c.finish_reason;
        if (c.logprobs) choice.logprobs = c.logprobs;
      }
    },
    result: () => completion,
    text: () => {
      const content = obj(choices[0]?.message)?.content;
      return typeof content === "string" ? content : "";
    },
  };
}

function anthropicAccumulator(): Accumulator {
  let message: Obj | undefined;
  const partialJson = new Map<number, string>();
  return {
    add(event) {
      const e = obj(event);
      if (!e) return;
      if (e.type === "message_start") {
        message = structuredClone(obj(e.message) ?? {});
        if (!Array.isArray(message.content)) message.content = [];
        return;
      }
      if (!message) return;
      const content = message.content as Obj[];
      const index = typeof e.index === "number" ? e.index : content.length;
      if (e.type === "content_block_start") {
        content[index] = structuredClone(obj(e.content_block) ?? {});
      } else if (e.type === "content_block_delta") {
        const block = (content[index] ??= {});
        const d = obj(e.delta) ?? {};
        if (d.type === "text_delta") block.text = String(block.text ?? "") + String(d.text ?? "");
        else if (d.type === "input_json_delta") partialJson.set(index, (partialJson.get(index) ?? "") + String(d.partial_json ?? ""));
        else if (d.type === "thinking_delta") block.thinking = String(block.thinking ?? "") + String(d.thinking ?? "");
        else if (d.type === "signature_delta") block.signature = d.signature;
        else if (d.type === "citations_delta") {
          if (!Array.isArray(block.citations)) block.citations = [];
          (block.citations as unknown[]).push(d.citation);
        }
      } else if (e.type === "content_block_stop") {
        const json = partialJson.get(index);
        const block = content[index];
        if (json !== undefined && block) {
          try {
            block.input = json === "" ? {} : JSON.parse(json);
          } catch {
            block.input = json;
          }
          partialJson.delete(index);
        }
      } else if (e.type === "message_delta") {
        const d = obj(e.delta) ?? {};
        if ("stop_reason" in d) message.stop_reason = d.stop_reason;
        if ("stop_sequence" in d) message.stop_sequence = d.stop_sequence;
        const usage = obj(e.usage);
        if (usage) message.usage = { ...(obj(message.usage) ?? {}), ...Object.fromEntries(Object.entries(usage).filter(([, v]) => v !== null && v !== undefined)) };
      }
    },
    result: () => message,
    text: () => ((message?.content as Obj[] | undefined) ?? []).filter((b) => b?.type === "text").map((b) => String(b.text ?? "")).join(""),
  };
}

function responsesAccumulator(): Accumulator {
  let response: Obj | undefined;
  let terminal = false;
  let deltas = "";
  return {
    add(event) {
      const e = obj(event);
      if (!e) return;
      const r = obj(e.response);
      const isTerminal = e.type === "response.completed" || e.type === "response.incomplete" || e.type === "response.failed";
      if (r && (isTerminal || !terminal)) response = r;
      if (isTerminal) terminal = true;
      if (e.type === "response.output_text.delta" && typeof e.delta === "string") deltas += e.delta;
    },
    result: () => response,
    text: () => {
      const out = (response?.output as Obj[] | undefined) ?? [];
      const texts = out.flatMap((item) => ((item.content as Obj[] | undefined) ?? []).filter((c) => c?.type === "output_text").map((c) => String(c.text ?? "")));
      return terminal && texts.length ? texts.join("") : deltas;
    },
  };
}

function imageAccumulator(): Accumulator {
  let result: Obj | undefined;
  const data: Obj[] = [];
  return {
    add(event) {
      const e = obj(event);
      if (!e || e.type !== "image_generation.completed") return;
      data.push(Object.fromEntries(Object.entries(e).filter(([k]) => !["type", "created_at", "usage"].includes(k))));
      result = { created: e.created_at, data, ...(e.usage !== undefined ? { usage: e.usage } : {}) };
    },
    result: () => result,
    text: () => "",
  };
}

function lastEventAccumulator(): Accumulator {
  let last: unknown;
  return { add: (e) => void (last = e), result: () => last, text: () => "" };
}

/** An accumulator that picks its protocol from the first event it sees. */
export function createAccumulator(): Accumulator {
  let inner: Accumulator | undefined;
  return {
    add(event) {
      if (!inner) {
        const e = obj(event) ?? {};
        const type = typeof e.type === "string" ? e.type : "";
        if (e.object === "chat.completion.chunk") inner = chatAccumulator();
        else if (type === "message_start") inner = anthropicAccumulator();
        else if (type.startsWith("response.")) inner = responsesAccumulator();
        else if (type.startsWith("image_generation.")) inner = imageAccumulator();
        else inner = lastEventAccumulator();
      }
      inner.add(event);
    },
    result: () => inner?.result(),
    text: () => inner?.text() ?? "",
  };
}
