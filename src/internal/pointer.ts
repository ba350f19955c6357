/** Reads a JSON pointer (RFC 6901, e.g. `/data/0/url`) from a parsed JSON value; undefined when absent. */
export function getPointer(value: unknown, pointer: string): unknown {
  if (pointer === "") return value;
  let cur: unknown = value;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
    if (cur === undefined) return undefined;
  }
  return cur;
}
