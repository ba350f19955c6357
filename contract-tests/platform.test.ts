import { describe, expect, it } from "vitest";
import { AuthenticationError, ErrorInBodyError, createElkClient } from "../src/index.js";
import { TEST_KEY, mockBaseUrl, testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";
import { bundle, deref, examplesOf, operation } from "./lib/spec.js";

contractSuite("platform");

function okExamples(id: string) {
  return examplesOf(deref(bundle, operation(id).op.responses["200"]!).content!["application/json"]);
}

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

  it("turns the billing routes' 200 {error} answers into ErrorInBodyError", async () => {
    const elk = testClient();
    for (const path of ["/dashboard/billing/subscription", "/dashboard/billing/usage"] as const) {
      const err = await elk.GET(path, { headers: { Prefer: "example=error" } }).catch((e: unknown) => e);
      expect(err, path).toBeInstanceOf(ErrorInBodyError);
      expect((err as ErrorInBodyError).message).toContain("record not found");
    }
  });

  it("declares both spellings of the billing routes, /v1 first, and calls the one the base URL gives", async () => {
    for (const path of ["/dashboard/billing/subscription", "/dashboard/billing/usage"]) {
      const servers = (bundle.paths[path] as { servers?: { url: string }[] }).servers?.map((s) => s.url);
      expect(servers, path).toEqual(["https://api.elkapi.com/v1", "https://api.elkapi.com"]);
    }
    const seen: string[] = [];
    const elk = createElkClient({
      apiKey: TEST_KEY,
      fetch: async (url) => (seen.push(url), Response.json({ object: "list", total_usage: 0 })),
    });
    await elk.GET("/dashboard/billing/usage");
    await elk.GET("/dashboard/billing/usage", { baseUrl: "https://api.elkapi.com/v1", params: { query: { start_date: "2026-09-01", end_date: "2026-12-01" } } });
    expect(seen).toEqual(["https://api.elkapi.com/dashboard/billing/usage", "https://api.elkapi.com/v1/dashboard/billing/usage?start_date=2026-09-01&end_date=2026-12-01"]);
  });

  it("turns model_not_found inside a 200 (unknown model, or a Google-style key on /v1/models) into ErrorInBodyError", async () => {
    const elk = testClient();
    const { data } = await elk.GET("/v1/models/{model}", { params: { path: { model: "gpt-4o-mini" } } });
    expect("id" in data && data.id).toBe("gpt-4o-mini");
    const missing = await elk.GET("/v1/models/{model}", { params: { path: { model: "gpt-9" } }, headers: { Prefer: "example=not_found" } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ErrorInBodyError);
    expect((missing as ErrorInBodyError).message).toContain("does not exist");
    const quirk = await elk.GET("/v1/models", { headers: { Prefer: "example=google_key" } }).catch((e: unknown) => e);
    expect(quirk).toBeInstanceOf(ErrorInBodyError);
    expect((quirk as ErrorInBodyError).operationId).toBe("listModels");
  });

  it("gives the remaining balance as hard_limit_usd (USD) minus total_usage / 100 (US cents)", async () => {
    const elk = testClient();
    const { data: sub } = await elk.GET("/dashboard/billing/subscription", { headers: { Prefer: "example=subscription" } });
    const { data: usage } = await elk.GET("/dashboard/billing/usage", { headers: { Prefer: "example=usage" } });
    if (!("hard_limit_usd" in sub) || !("total_usage" in usage)) throw new Error("expected the success bodies");
    expect(sub.hard_limit_usd - usage.total_usage / 100).toBeCloseTo(13.625, 6);
    // The query service reports the same account's balance directly, in USD.
    const quota = okExamples("getUserQuota").find((e) => e.name === "balance")!.value as { total_quota: number; total_used_quota: number };
    expect(quota.total_quota).toBeCloseTo(13.62, 2);
    expect(quota.total_quota + quota.total_used_quota).toBeCloseTo(sub.hard_limit_usd, 1);
  });

  it("shows both published forms of an unlimited key on /user/quota", () => {
    const keys = okExamples("getUserQuota").flatMap((e) => (e.value as { keys: { remain_quota: number; used_quota: number }[] }).keys);
    expect(keys.some((k) => k.remain_quota === -1)).toBe(true);
    expect(keys.some((k) => k.remain_quota === 999999999 && k.used_quota === -1)).toBe(true);
  });

  it("reaches /user/quota on query.elkapi.com with a per-call baseUrl and the key in the query", async () => {
    const seen: Request[] = [];
    const elk = createElkClient({
      apiKey: TEST_KEY,
      fetch: async (url, init) => (seen.push(new Request(url, init)), Response.json({ username: "u", total_quota: 1, total_used_quota: 0, request_count: 0, keys: [] })),
    });
    expect((operation("getUserQuota").op as { servers?: { url: string }[] }).servers?.[0]?.url).toBe("https://query.elkapi.com");
    await elk.GET("/user/quota", { baseUrl: "https://query.elkapi.com", params: { query: { key: "sk-balance-only", start_date: "2025-06-01", end_date: "2025-06-02" } } });
    expect(seen[0]!.url).toBe("https://query.elkapi.com/user/quota?key=sk-balance-only&start_date=2025-06-01&end_date=2025-06-02");
  });

  it("refuses /user/quota without the key parameter even when a Bearer key is sent", async () => {
    const elk = testClient();
    const { data } = await elk.GET("/user/quota", { params: { query: { key: TEST_KEY } }, headers: { Prefer: "example=daily" } });
    expect(Object.keys(data.daily_quota ?? {})).toEqual(["2025-06-01", "2025-06-02"]);
    const err = await elk.GET("/user/quota", { params: { query: {} as never } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(err)).not.toContain(TEST_KEY);
    const raw = await fetch(`${mockBaseUrl()}/user/quota?key=${TEST_KEY}`);
    expect(raw.status).toBe(200);
  });

  it("keeps the key out of errors even when it sits in the query string", async () => {
    const elk = createElkClient({ apiKey: TEST_KEY, fetch: async () => Response.json({ error: { message: "Invalid token", type: "new_api_error" } }, { status: 401 }) });
    const err = await elk.GET("/user/quota", { baseUrl: "https://query.elkapi.com", params: { query: { key: TEST_KEY } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(err)).not.toContain(TEST_KEY);
    expect((err as AuthenticationError).message).not.toContain(TEST_KEY);
  });
});
