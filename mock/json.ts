/** Writing into parsed JSON by JSON pointer (RFC 6901); reading is src/internal/pointer.ts. */
import { getPointer } from "../src/internal/pointer.js";

/**
 * Sets the value at `pointer` (e.g. `/data/0/index`) when its parent object or array exists; returns whether it
 * did. The root (`""`) cannot be set.
 */
export function setPointer(value: unknown, pointer: string, to: unknown): boolean {
  const cut = pointer.lastIndexOf("/");
  if (cut < 0) return false;
  const holder = getPointer(value, pointer.slice(0, cut));
  if (!holder || typeof holder !== "object") return false;
  (holder as Record<string, unknown>)[pointer.slice(cut + 1).replace(/~1/g, "/").replace(/~0/g, "~")] = to;
  return true;
}
