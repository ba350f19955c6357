import { describe, expect, it } from "vitest";
import { ErrorInBodyError } from "../src/index.js";
import { TEST_KEY, testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";

contractSuite("platform");

describe("platform: behaviour users rely on", () => {
  it("turns the 200 {success:false} answer of GET /v1/models into ErrorInBodyError", async () => {
    const err = await testClient()
      .GET("/v1/models", { headers: { Prefer: "example=failure" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorInBodyError);
    const e = err as ErrorInBodyError;
    expect(e.status).toBe(200);
    expect(e.message).toContain("get user group failed");
    expect(e.operationId).toBe("listModels");
    expect(JSON.stringify(e)).not.toContain(TEST_KEY);
  });
});
