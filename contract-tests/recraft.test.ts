import { describe, expect, it } from "vitest";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import { TEST_KEY, mockBaseUrl, testClient } from "./lib/calls.js";
import { contractSuite, expectTypedFieldError } from "./lib/contract.js";
import { allOperations } from "./lib/spec.js";

contractSuite("recraft");

const png = (name: string) => new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], name, { type: "image/png" });

describe("recraft: synchronous calls", () => {
  it("has no task extensions: every answer carries its result", () => {
    const ids = allOperations.filter((o) => o.op.tags?.[0] === "recraft").map((o) => o.op.operationId);
    expect(ids).toHaveLength(6);
    for (const id of ids) {
      expect(id in taskSubmits, id).toBe(false);
      expect(id in taskQueries, id).toBe(false);
    }
  });

  it("generates images and returns their URLs in data[]", async () => {
    const { data } = await testClient().POST("/recraft/v1/images/generations", {
      body: { prompt: "flat icon of a paper airplane", style: "vector_illustration", controls: { colors: [{ rgb: [24, 90, 200] }] } },
    });
    expect(data.data[0]?.url).toMatch(/^https:\/\//);
    expect(typeof data.created).toBe("number");
  });

  it("accepts the enriched gateway answer alongside Recraft's own", async () => {
    const { data } = await testClient().POST("/recraft/v1/images/generations", {
      body: { prompt: "poster" },
      headers: { Prefer: "example=enriched" },
    });
    expect(data.image).toEqual(data.data.map((d) => d.url));
    expect(data.metadata).toMatchObject({ transform_model: "recraftv3" });
  });
});

describe("recraft: multipart uploads", () => {
  it("uploads a file with the client to every image-in route", async () => {
    const elk = testClient();
    const file = png("logo.png");
    const results = await Promise.all([
      elk.POST("/recraft/v1/images/vectorize", { body: { file, response_format: "url" } }),
      elk.POST("/recraft/v1/images/removeBackground", { body: { file, image_format: "png" } }),
      elk.POST("/recraft/v1/images/clarityUpscale", { body: { file } }),
      elk.POST("/recraft/v1/images/generativeUpscale", { body: { file, response_format: "url" } }),
    ]);
    for (const { data } of results) expect(data.image.url).toMatch(/^https:\/\/img\.recraft\.ai\//);
  });

  it("creates a style from several reference images sent as repeated file parts", async () => {
    const { data } = await testClient().POST("/recraft/v1/styles", {
      body: { style: "digital_illustration", file: [png("ref1.png"), png("ref2.png"), png("ref3.png")] },
    });
    expect(data.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("rejects a style without reference images, naming file", async () => {
    const form = new FormData();
    form.append("style", "digital_illustration");
    await expectTypedFieldError(testClient().POST("/recraft/v1/styles", { body: form as never }), "file");
  });

  it("takes the upload as `file` or as Recraft's own part name `image`; a form with neither is refused, naming file", async () => {
    const send = (field: string) => {
      const form = new FormData();
      form.append(field, png("logo.png"), "logo.png");
      return fetch(`${mockBaseUrl()}/recraft/v1/images/vectorize`, {
        method: "POST",
        headers: { Authorization: `Bearer ${TEST_KEY}` },
        body: form,
      });
    };
    expect((await send("file")).status).toBe(200);
    expect((await send("image")).status).toBe(200);
    const res = await send("picture");
    expect(res.status).toBe(400);
    expect(res.headers.get("sl-violations") ?? "").toContain("file");
  });

  it("creates a style from reference images sent as repeated `images` parts (Recraft's own clients)", async () => {
    const { data } = await testClient().POST("/recraft/v1/styles", {
      body: { style: "digital_illustration", images: [png("ref1.png"), png("ref2.png")] },
    });
    expect(data.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("recraft: open choices", () => {
  it("accepts a style, size and model newer than the known lists", async () => {
    const { response } = await testClient().POST("/recraft/v1/images/generations", {
      body: { prompt: "a fox", model: "recraftv4_1", style: "brand_new_style", size: "2048x2048", response_format: "url" },
    });
    expect(response.status).toBe(200);
  });
});
