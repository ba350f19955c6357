import { describe, expect, it } from "vitest";
import { compileRoutes } from "../routes.js";
import { loadMockSpec } from "../spec.js";
import { stubSpec } from "./fixtures.js";

const routes = compileRoutes(stubSpec);
const id = (method: string, path: string, preflight?: string) => routes.resolve(method, path, preflight)?.operation.id;

describe("routes: concrete path → operation", () => {
  it("matches the spec's own paths, with parameters decoded", () => {
    expect(routes.resolve("post", "/v1/chat")).toMatchObject({ operation: { id: "chat" }, prefix: "", path: "/v1/chat", params: {} });
    expect(routes.resolve("GET", "/mj/task/a%20b")).toMatchObject({ operation: { id: "getTask" }, params: { id: "a b" } });
    expect(id("GET", "/v1/chat")).toBeUndefined();
    expect(id("POST", "/v1/nothing")).toBeUndefined();
  });

  it("fills part of a segment: {model}:streamGenerateContent", () => {
    expect(routes.resolve("POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent")).toMatchObject({
      operation: { id: "generateStream" },
      params: { model: "gemini-2.5-flash" },
    });
    expect(id("POST", "/v1beta/models/gemini-2.5-flash:generateContent")).toBeUndefined();
  });

  it("prefers literal segments over a parameter, and ignores a trailing slash", () => {
    expect(id("GET", "/mj/task/list")).toBe("listTasks");
    expect(id("GET", "/mj/task/list/")).toBe("listTasks");
    expect(id("POST", "/v1/chat/")).toBe("chat");
  });

  it("takes a server prefix of the operation's or path item's servers, variables by their enum", () => {
    expect(routes.resolve("POST", "/anthropic/v1/messages")).toMatchObject({ operation: { id: "messages" }, prefix: "/anthropic", path: "/v1/messages" });
    expect(routes.resolve("POST", "/relax/mj/submit")).toMatchObject({ operation: { id: "submit" }, prefix: "/relax", path: "/mj/submit" });
    expect(routes.resolve("GET", "/fast/mj/task/t1")).toMatchObject({ operation: { id: "getTask" }, prefix: "/fast", params: { id: "t1" } });
    expect(id("POST", "/turbo/mj/submit")).toBeUndefined();
    expect(id("POST", "/anthropic/v1/chat")).toBeUndefined();
    expect(routes.resolve("GET", "/v1/dashboard/usage")).toMatchObject({ operation: { id: "usage" }, prefix: "/v1" });
    expect(routes.resolve("GET", "/dashboard/usage")).toMatchObject({ operation: { id: "usage" }, prefix: "" });
  });

  it("resolves a CORS preflight by the method it announces", () => {
    expect(id("OPTIONS", "/anthropic/v1/messages", "POST")).toBe("messages");
    expect(id("OPTIONS", "/anthropic/v1/messages")).toBeUndefined();
  });
});

describe("routes on the project's spec", async () => {
  const spec = await loadMockSpec();
  const real = compileRoutes(spec);

  it("every operation's own path (parameters filled) resolves to that operation", () => {
    for (const op of spec.operations.values()) {
      const concrete = op.path.replace(/\{[^}]+\}/g, "x1");
      expect(real.resolve(op.method, concrete)?.operation.id, `${op.method} ${concrete}`).toBe(op.id);
    }
  });

  it("serves the documented alternate bases: /anthropic and the Midjourney speed modes", () => {
    expect(real.resolve("POST", "/anthropic/v1/messages")).toMatchObject({ operation: { id: "createAnthropicMessage" }, path: "/v1/messages" });
    for (const mode of ["mj-fast", "mj-relax", "mj-turbo"]) {
      expect(real.resolve("POST", `/${mode}/mj/submit/imagine`)).toMatchObject({ operation: { id: "submitMidjourneyImagine" }, path: "/mj/submit/imagine" });
    }
  });
});
