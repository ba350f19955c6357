/**
 * Body serialisation for openapi-fetch: JSON by default, multipart/form-data when the operation takes multipart
 * or the body holds a Blob or File. FormData does the encoding (boundary, headers, escaping); nothing here writes
 * multipart by hand. Field rules: arrays become repeated parts; numbers and booleans become their text; objects
 * become JSON text; null and undefined fields are left out.
 *
 * File parts get a filename and a media type: a File keeps its own; a Blob without a name is named
 * `<field>.<ext>`; a part without a media type gets the one its filename's extension implies, else the first one
 * the spec's `encoding` lists for the field (generated/operations.ts `files`), else `application/octet-stream`.
 * Buffers and typed arrays in a file field are sent as files too.
 */
import { extensionOf, mediaTypeOf } from "./uploads.js";

function isBlob(v: unknown): v is Blob {
  return typeof Blob !== "undefined" && v instanceof Blob;
}

function isBytes(v: unknown): v is ArrayBufferView | ArrayBuffer {
  return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
}

function hasFile(body: Record<string, unknown>): boolean {
  return Object.values(body).some((v) => isBlob(v) || (Array.isArray(v) && v.some(isBlob)));
}

/** A File for a file part: name and media type filled in as the module comment says. */
function filePart(field: string, value: Blob | ArrayBufferView | ArrayBuffer, specTypes: readonly string[]): File {
  const blob = isBlob(value)
    ? value
    : new Blob([value instanceof ArrayBuffer ? new Uint8Array(value) : (new Uint8Array(value.buffer, value.byteOffset, value.byteLength) as Uint8Array<ArrayBuffer>)]);
  const ownName = typeof (blob as File).name === "string" && (blob as File).name !== "" ? (blob as File).name : undefined;
  const type = blob.type || (ownName ? mediaTypeOf(ownName) : undefined) || specTypes[0] || "application/octet-stream";
  const ext = extensionOf(type);
  const name = ownName ?? (ext && type !== "application/octet-stream" ? `${field}.${ext}` : field);
  if (blob instanceof File && blob.name === name && blob.type === type) return blob;
  return new File([blob], name, { type });
}

function append(form: FormData, name: string, value: unknown, files: Readonly<Record<string, readonly string[]>> | null): void {
  if (value === undefined || value === null) return;
  const isFileField = files !== null && name in files;
  if (isBlob(value) || (isFileField && isBytes(value))) {
    const part = filePart(name, value as Blob, files?.[name] ?? []);
    form.append(name, part, part.name);
  } else if (typeof value === "object") form.append(name, JSON.stringify(value));
  else form.append(name, String(value));
}

/**
 * A body serializer for one operation.
 * @param files the operation's file fields and their spec media types (null when it takes no multipart body).
 * @returns a function giving FormData for multipart bodies (or any body holding a Blob), JSON text otherwise.
 */
export function bodySerializerFor(files: Readonly<Record<string, readonly string[]>> | null): (body: unknown) => BodyInit | string {
  return (body) => {
    if (typeof FormData !== "undefined" && body instanceof FormData) return body;
    if (body && typeof body === "object" && !Array.isArray(body) && (files !== null || hasFile(body as Record<string, unknown>))) {
      const form = new FormData();
      for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
        if (Array.isArray(value)) value.forEach((v) => append(form, name, v, files));
        else append(form, name, value, files);
      }
      return form;
    }
    return JSON.stringify(body);
  };
}

/** Serialises a request body without operation facts: FormData as is, objects with files as FormData, else JSON. */
export const serializeBody: (body: unknown) => BodyInit | string = bodySerializerFor(null);
