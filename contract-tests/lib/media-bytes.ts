/**
 * Reading the bytes a client decodes: PNG images, audio containers and base64 float32 vectors. Each check reads
 * the format's own header fields (and checksums where the format has them), so a placeholder string fails.
 * Formats: PNG (RFC 2083 / W3C PNG 3rd ed.: signature, chunks with CRC-32, IHDR first, IEND last), WAV (RIFF
 * WAVE with fmt and data chunks), MP3 (MPEG audio frame header), FLAC (`fLaC` + STREAMINFO), Ogg Opus
 * (`OggS` page with `OpusHead`), AAC (ADTS header).
 */
import zlib from "node:zlib";

/** Width and height of a PNG, or an Error naming what is wrong. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | Error {
  const b = Buffer.from(bytes);
  if (!b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return new Error("no PNG signature");
  const chunks: string[] = [];
  for (let at = 8; at < b.length; ) {
    if (at + 12 > b.length) return new Error(`chunk cut off at byte ${at}`);
    const length = b.readUInt32BE(at);
    const typeAndData = b.subarray(at + 4, at + 8 + length);
    if (zlib.crc32(typeAndData) !== b.readUInt32BE(at + 8 + length)) return new Error(`bad CRC in chunk ${chunks.length}`);
    chunks.push(typeAndData.subarray(0, 4).toString("latin1"));
    at += 12 + length;
  }
  if (chunks[0] !== "IHDR" || chunks.at(-1) !== "IEND" || !chunks.includes("IDAT")) return new Error(`chunks ${chunks.join(",")}`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** The audio container of `bytes` from its header, or undefined when it is none of those the spec serves. */
export function audioFormat(bytes: Uint8Array): "wav" | "mp3" | "flac" | "opus" | "aac" | undefined {
  const b = Buffer.from(bytes);
  const ascii = (from: number, to: number) => b.subarray(from, to).toString("latin1");
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WAVE" && ascii(12, 16) === "fmt " && b.readUInt32LE(4) === b.length - 8) {
    const fmtLength = b.readUInt32LE(16);
    return ascii(20 + fmtLength, 24 + fmtLength) === "data" ? "wav" : undefined;
  }
  if (ascii(0, 4) === "fLaC" && (b[4]! & 0x7f) === 0 && b.readUIntBE(5, 3) === 34) return "flac";
  if (ascii(0, 4) === "OggS" && ascii(28, 36) === "OpusHead") return "opus";
  const start = ascii(0, 3) === "ID3" ? 10 + ((b[6]! << 21) | (b[7]! << 14) | (b[8]! << 7) | b[9]!) : 0;
  const [x, y, z] = [b[start], b[start + 1], b[start + 2]];
  if (x === 0xff && y !== undefined && z !== undefined && (y & 0xe0) === 0xe0) {
    // ADTS (AAC) has layer bits 00; MPEG audio layers are 01-11 with a bitrate index that is not 1111.
    if ((y & 0x06) === 0) return (y & 0xf0) === 0xf0 ? "aac" : undefined;
    return z >> 4 !== 0x0f && (z & 0x0c) !== 0x0c ? "mp3" : undefined;
  }
  return undefined;
}

/** The little-endian float32 values a base64 embedding holds. */
export function float32s(base64: string): number[] {
  const b = Buffer.from(base64, "base64");
  return Array.from({ length: b.length / 4 }, (_, i) => b.readFloatLE(i * 4));
}
