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
  return new Negotiator({ headers: { accept } }).mediaTypes([...available]);
}

/** An `Accept` value that prefers `media` in order but still takes anything else (error bodies are JSON). */
export function preferring(media: readonly string[]): string {
  return [...media, "*/*;q=0.1"].join(", ");
}
