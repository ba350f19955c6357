/**
 * Multipart request bodies (request.ts sends JSON text otherwise, and loads this module only for forms: when the
 * operation takes only multipart, or the body holds a Blob or File). FormData does the encoding (boundary, headers, escaping); nothing here writes multipart by
 * hand. Field rules: arrays become repeated parts; numbers and booleans become their text; objects become JSON
 * text; null and undefined fields are left out.
 *
 * File parts get a filename and a media type: a File keeps its own; otherwise the media type is the one of the
 * spec's `encoding` types for the field whose extension the filename has, else the first of them, else
 * `application/octet-stream`; a Blob without a name is named `<field>.<ext>` after that type. The extensions come
 * from generated/file-specs.ts (made with the `mime` package at generate time), so no media-type table ships here.
 * Buffers and typed arrays in a file field are sent as files too.
 */
import { type FileSpec, fileSpecs } from "../../generated/file-specs.js";

type Files = FileSpec;

const isBlob = (v: unknown): v is Blob => typeof Blob !== "undefined" && v instanceof Blob;
const isBytes = (v: unknown): v is ArrayBufferView | ArrayBuffer => v instanceof ArrayBuffer || ArrayBuffer.isView(v);

/** A File for a file part: name and media type filled in as the module comment says. */
function filePart(field: string, value: Blob | ArrayBufferView | ArrayBuffer, spec: readonly (readonly string[])[]): File {
  const blob = isBlob(value)
    ? value
    : new Blob([value instanceof ArrayBuffer ? new Uint8Array(value) : (new Uint8Array(value.buffer, value.byteOffset, value.byteLength) as Uint8Array<ArrayBuffer>)]);
  const ownName = typeof (blob as File).name === "string" && (blob as File).name !== "" ? (blob as File).name : undefined;
  const ext = ownName?.includes(".") ? ownName.slice(ownName.lastIndexOf(".") + 1).toLowerCase() : undefined;
  const entry = (blob.type ? spec.find((e) => e[0] === blob.type) : undefined) ?? (ext ? spec.find((e) => e.includes(ext, 1)) : undefined) ?? (blob.type ? undefined : spec[0]);
  const type = blob.type || entry?.[0] || "application/octet-stream";
  const fallbackExt = entry?.[1] ?? (/^[a-z0-9]{1,5}$/.test(type.split("/")[1] ?? "") ? type.split("/")[1] : undefined);
  const name = ownName ?? (fallbackExt && type !== "application/octet-stream" ? `${field}.${fallbackExt}` : field);
  if (blob instanceof File && blob.name === name && blob.type === type) return blob;
  return new File([blob], name, { type });
}

function append(form: FormData, name: string, value: unknown, files: Files | null): void {
  if (value === undefined || value === null) return;
  const spec = files?.[name];
  if (isBlob(value) || (spec && isBytes(value))) {
    const part = filePart(name, value as Blob, spec ?? []);
    form.append(name, part, part.name);
  } else if (typeof value === "object") form.append(name, JSON.stringify(value));
  else form.append(name, String(value));
}

/**
 * A body as FormData (FormData as is; an object's fields as parts), encoded once into bytes with its
 * `content-type` (boundary included), so every attempt sends the same bytes.
 * @param route `METHOD /path` of the operation, for its file fields (none for a route the spec lacks).
 */
export async function encodeForm(body: FormData | Record<string, unknown>, route: string | undefined): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string }> {
  let form = body;
  if (!(form instanceof FormData)) {
    const files = (route && fileSpecs[route]) || null;
    form = new FormData();
    for (const [name, value] of Object.entries(body)) {
      if (Array.isArray(value)) value.forEach((v) => append(form as FormData, name, v, files));
      else append(form, name, value, files);
    }
  }
  const res = new Response(form);
  return { bytes: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get("content-type")! };
}
