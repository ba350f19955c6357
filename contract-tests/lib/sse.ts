/** Splitting an SSE text into events with eventsource-parser, as a client would. */
import { createParser, type EventSourceMessage } from "eventsource-parser";

/** All events of a complete SSE text, in order. */
export function parseSse(text: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e) });
  parser.feed(text);
  return events;
}
