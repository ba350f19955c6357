/** toFile (src/uploads.ts): files from paths, bytes, Blobs and streams, named and typed. */
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toFile } from "../src/index.js";

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elkapi-tofile-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("toFile", () => {
  it("reads a path lazily, naming the file and typing it by extension", async () => {
    const p = path.join(dir, "room.PNG");
    await writeFile(p, PNG);
    const f = await toFile(p);
    expect(f).toMatchObject({ name: "room.PNG", type: "image/png", size: PNG.byteLength });
    expect(new Uint8Array(await f.arrayBuffer())).toEqual(PNG);
    expect(await toFile(new URL(`file://${p}`), "other.webp")).toMatchObject({ name: "other.webp", type: "image/webp" });
  });

  it("wraps Buffers and bytes, with the name's type, an explicit type, or octet-stream", async () => {
    expect(await toFile(Buffer.from(PNG), "a.jpg")).toMatchObject({ name: "a.jpg", type: "image/jpeg" });
    expect(await toFile(PNG, undefined, { type: "audio/mpeg" })).toMatchObject({ name: "upload.mp3", type: "audio/mpeg" });
    expect(await toFile(PNG.buffer)).toMatchObject({ name: "upload", type: "application/octet-stream" });
  });

  it("keeps a File's name and type, renames when asked, and types a Blob from the name", async () => {
    const file = new File([PNG], "mask.png", { type: "image/png" });
    expect(await toFile(file)).toMatchObject({ name: "mask.png", type: "image/png" });
    expect(await toFile(file, "renamed.png")).toMatchObject({ name: "renamed.png", type: "image/png" });
    expect(await toFile(new Blob([PNG]), "clip.mp4")).toMatchObject({ name: "clip.mp4", type: "video/mp4" });
  });

  it("reads Node streams (named from their path) and web streams", async () => {
    const p = path.join(dir, "voice.wav");
    await writeFile(p, PNG);
    expect(await toFile(createReadStream(p))).toMatchObject({ name: "voice.wav", type: "audio/wav", size: PNG.byteLength });
    const web = new Blob([PNG]).stream();
    expect(await toFile(web, "x.png")).toMatchObject({ name: "x.png", size: PNG.byteLength });
  });

  it("rejects other URLs and kinds with a TypeError", async () => {
    await expect(toFile(new URL("https://example.org/a.png"))).rejects.toThrow(/file: URLs/);
    await expect(toFile(42 as never)).rejects.toThrow(TypeError);
    await expect(toFile(path.join(dir, "missing.png"))).rejects.toThrow(/ENOENT/);
  });
});
