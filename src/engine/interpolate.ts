/**
 * `{{variable}}` interpolation. Unknown variables stay exactly as written (seed 000), so an author
 * sees the typo in the simulator instead of an empty gap.
 */
import { stringifyValue, type VariableLookup } from "./variables.ts";

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

/**
 * Replaces each `{{ path }}` with the variable's value.
 * @example interpolate("Hi {{ contact.name }}", lookup) // "Hi Ana"
 */
export function interpolate(template: string, lookup: VariableLookup): string {
  if (!template.includes("{{")) return template;
  return template.replace(PLACEHOLDER, (whole, path: string) => {
    const value = lookup(path);
    return value === undefined ? whole : stringifyValue(value);
  });
}

/** The variable paths a text refers to, in order of appearance. */
export function findVariableReferences(template: string): string[] {
  const found: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match[1] !== undefined) found.push(match[1].trim());
  }
  return found;
}
