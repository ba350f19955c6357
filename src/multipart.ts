/**
 * Body serialisation for openapi-fetch: JSON by default, multipart/form-data when the body holds a Blob or File
 * (every multipart operation in the spec has at least one file field). Arrays become repeated parts; numbers and
 * booleans become their text; objects become JSON text; null and undefined fields are left out.
 */
function isBlob(v: unknown): v is Blob {
  return typeof Blob !== "undefined" && v instanceof Blob;
}

function hasFile(body: Record<string, unknown>): boolean {
  return Object.values(body).some((v) => isBlob(v) || (Array.isArray(v) && v.some(isBlob)));
}

function append(form: FormData, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (isBlob(value)) form.append(name, value, (value as File).name ?? name);
  else if (typeof value === "object") form.append(name, JSON.stringify(value));
  else form.append(name, String(value));
}

/** Serialises a request body: FormData as is, objects with files as FormData, everything else as JSON text. */
export function serializeBody(body: unknown): BodyInit | string {
  if (typeof FormData !== "undefined" && body instanceof FormData) return body;
  if (body && typeof body === "object" && !Array.isArray(body) && hasFile(body as Record<string, unknown>)) {
    const form = new FormData();
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      if (Array.isArray(value)) value.forEach((v) => append(form, name, v));
      else append(form, name, value);
    }
    return form;
  }
  return JSON.stringify(body);
}
