/** Environment variables the client reads (`ELKAPI_API_KEY`, `ELKAPI_BASE_URL`, `ELKAPI_LOG`); none in browsers. */
export function readEnv(name: string): string | undefined {
  return typeof process !== "undefined" ? process.env?.[name] : undefined;
}
