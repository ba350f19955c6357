/**
 * Files for multipart uploads. `toFile` turns a path, Buffer, bytes, Blob, File or readable stream into a `File`
 * with a filename and a media type, so FormData sends the right `Content-Disposition` filename and
 * `Content-Type` for each part. Media types come from the file extension (the `mime` package's standard table, `mime/lite`: no vendor types).
 */
import mime from "mime/lite";

/** Anything `toFile` accepts. A string is a file system path (not file contents); a URL must be `file:`. */
export type Uploadable =
  | string
  | URL
  | Blob
  | File
  | ArrayBuffer
  | ArrayBufferView
  | AsyncIterable<Uint8Array | string>
  | ReadableStream<Uint8Array>;

/** Options of `toFile`. */
export interface ToFileOptions {
  /** Media type, e.g. `image/png`. Default: the input's own type (Blob/File), else looked up from the filename's extension, else `application/octet-stream`. */
  type?: string;
}

/** The media type for a filename by its extension (`a.PNG` → `image/png`), or undefined when unknown. */
export function mediaTypeOf(filename: string): string | undefined {
  return mime.getType(filename) ?? undefined;
}

/** Where the table's first extension is not the one people use. */
const PREFERRED_EXTENSION: Record<string, string> = { "audio/mpeg": "mp3", "audio/mp4": "m4a" };

/** A filename extension for a media type (`image/jpeg` → `jpg`, `audio/mpeg` → `mp3`), or undefined when unknown. */
export function extensionOf(mediaType: string): string | undefined {
  const type = mediaType.split(";")[0]!.trim().toLowerCase();
  return PREFERRED_EXTENSION[type] ?? mime.getExtension(type) ?? undefined;
}

/**
 * Node's file system modules, reached through `process.getBuiltinModule` (Node >= 20.16) rather than a static
 * import, so the client still bundles for browsers: only reading a path needs them.
 */
function nodeFiles() {
  const load = typeof process !== "undefined" ? process.getBuiltinModule : undefined;
  if (!load) throw new TypeError("toFile: reading a file path needs Node.js >= 20.16; pass a Blob, File or bytes instead");
  return { fs: load("node:fs"), fsp: load("node:fs/promises"), url: load("node:url") };
}

/** The last segment of a file path (either separator). */
function basename(p: string): string {
  return p.split(/[\\/]/).filter(Boolean).pop() ?? p;
}

function isAsyncIterable(v: unknown): v is AsyncIterable<Uint8Array | string> {
  return !!v && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";
}

async function collect(source: AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  const iterable = isAsyncIterable(source) ? source : readableToIterable(source);
  for await (const chunk of iterable) parts.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
  return parts;
}

async function* readableToIterable(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Makes a `File` to put in a multipart body field (e.g. `body: { image: await toFile("room.png") }`).
 *
 * - `path` string or `file:` URL: the file is opened lazily (`fs.openAsBlob`); the name defaults to its basename.
 * - `Blob`/`File`: reused; a File keeps its name unless `name` is given.
 * - `Buffer`, `Uint8Array`, `ArrayBuffer`: wrapped as is (no copy for Uint8Array views).
 * - a readable stream (Node `fs.createReadStream`, web `ReadableStream`, any async iterable of bytes): read fully;
 *   a Node file stream's `path` gives the default name.
 *
 * @param input what to upload (see above).
 * @param name filename sent in the part's `Content-Disposition`. Default: the path's basename, the File's name,
 *   else `upload` plus the extension of the media type (`upload.png`), else `upload`.
 * @param options.type media type of the part; default as described in `ToFileOptions.type`.
 * @returns a File whose `name` and `type` are both set (type `application/octet-stream` when nothing tells).
 * @throws TypeError for an input of another kind or a non-`file:` URL; the file system's error (ENOENT ...) for a
 *   path that cannot be opened.
 */
export async function toFile(input: Uploadable, name?: string, options: ToFileOptions = {}): Promise<File> {
  let parts: BlobPart[];
  let ownName: string | undefined;
  let ownType: string | undefined;
  if (typeof input === "string" || input instanceof URL) {
    if (input instanceof URL && input.protocol !== "file:") {
      throw new TypeError(`toFile: only file: URLs can be read, got ${input.protocol} (download it first)`);
    }
    const { fs, fsp, url } = nodeFiles();
    const filePath = input instanceof URL ? url.fileURLToPath(input) : input;
    ownName = basename(filePath);
    const info = await fsp.stat(filePath); // a clear ENOENT / EACCES naming the path, before the lazy open
    if (!info.isFile()) throw new TypeError(`toFile: ${filePath} is not a file`);
    parts = [await fs.openAsBlob(filePath)];
  } else if (input instanceof Blob) {
    ownName = typeof (input as File).name === "string" && (input as File).name !== "" ? (input as File).name : undefined;
    ownType = input.type || undefined;
    parts = [input];
  } else if (input instanceof ArrayBuffer) {
    parts = [new Uint8Array(input)];
  } else if (ArrayBuffer.isView(input)) {
    parts = [new Uint8Array(input.buffer, input.byteOffset, input.byteLength) as Uint8Array<ArrayBuffer>];
  } else if (isAsyncIterable(input) || (typeof ReadableStream !== "undefined" && input instanceof ReadableStream)) {
    const p = (input as { path?: unknown }).path;
    if (typeof p === "string") ownName = basename(p);
    else if (p instanceof Uint8Array) ownName = basename(new TextDecoder().decode(p));
    parts = (await collect(input)) as Uint8Array<ArrayBuffer>[];
  } else {
    throw new TypeError(`toFile: expected a path, URL, Blob, File, Buffer, ArrayBuffer, typed array or stream, got ${typeof input}`);
  }
  const type = options.type ?? ownType ?? mediaTypeOf(name ?? ownName ?? "") ?? "application/octet-stream";
  const ext = type === "application/octet-stream" ? undefined : extensionOf(type);
  const filename = name ?? ownName ?? (ext ? `upload.${ext}` : "upload");
  return new File(parts, filename, { type });
}
