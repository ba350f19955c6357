/**
 * The copy of the bundle openapi-typescript reads. Unions whose members only state which fields are required
 * (`anyOf: [{required: [image]}, {required: [image_tail]}]`, "one of these two") are validation rules with no
 * shape of their own; openapi-typescript turns each member into `unknown`, and `T | unknown` is `unknown`, which
 * would erase the whole body's type. They are dropped here, so the types keep the fields while Prism and the
 * tests still enforce the rule from the spec itself.
 */
const RULE_ONLY_KEYS = new Set(["required", "not", "description", "title"]);

function isRuleOnly(member: unknown): boolean {
  return !!member && typeof member === "object" && !Array.isArray(member) && Object.keys(member).every((k) => RULE_ONLY_KEYS.has(k));
}

function strip(node: unknown): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) return node.forEach(strip);
  const obj = node as Record<string, unknown>;
  for (const key of ["anyOf", "oneOf"]) {
    const members = obj[key];
    if (Array.isArray(members) && members.length > 0 && members.every(isRuleOnly)) delete obj[key];
  }
  Object.values(obj).forEach(strip);
  if (Array.isArray(obj.allOf)) {
    obj.allOf = obj.allOf.filter((m) => !(m && typeof m === "object" && Object.keys(m).length === 0));
    if ((obj.allOf as unknown[]).length === 0) delete obj.allOf;
  }
}

/** A deep copy of `doc` without requirement-only unions (see above). */
export function typeView<T>(doc: T): T {
  const copy = structuredClone(doc);
  strip(copy);
  return copy;
}
