/**
 * Media type negotiation with the library Prism itself uses (negotiator, via `accepts`), so the front and Prism
 * agree on which media type an `Accept` header picks.
 */
import Negotiator from "negotiator";

/** The media type of a `Content-Type` value, without parameters, lower-case. */
export function mediaOf(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * The media types of `available` that `accept` allows, best first (ties keep `available`'s order). A missing
 * `accept` allows all of them.
 */
export function acceptable(accept: string | undefined, available: readonly string[]): string[] {
  if (accept === undefined || accept.trim() === "") return [...available];
  // Clients send the same few Accept values again and again: remember the answers (bounded).
  const key = `${accept}\n${available.join(",")}`;
  let hit = seen.get(key);
  if (!hit) {
    if (seen.size >= 1000) seen.clear();
    hit = new Negotiator({ headers: { accept } }).mediaTypes([...available]);
    seen.set(key, hit);
  }
  return [...hit];
}

const seen = new Map<string, string[]>();

/** An `Accept` value that prefers `media` in order but still takes anything else (error bodies are JSON). */
export function preferring(media: readonly string[]): string {
  return [...media, "*/*;q=0.1"].join(", ");
}
