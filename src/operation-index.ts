/** Finding an operation's facts (generated/operations.ts) from what openapi-fetch middleware sees. */
import { type OperationId, type OperationInfo, operations } from "../generated/operations.js";

const byRoute = new Map<string, OperationId>(
  (Object.entries(operations) as [OperationId, OperationInfo][]).map(([id, op]) => [`${op.method} ${op.path}`, id]),
);

/** The operationId and facts for a method and schema path (e.g. `POST`, `/v1/embeddings`), if the spec has it. */
export function findOperation(method: string, schemaPath: string): { id: OperationId; info: OperationInfo } | undefined {
  const id = byRoute.get(`${method.toUpperCase()} ${schemaPath}`);
  return id ? { id, info: operations[id] } : undefined;
}
