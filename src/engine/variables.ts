/**
 * Variable lookup for interpolation, conditions and expressions. Reserved roots (`contact.*`,
 * `flow.*`, `trigger.*`) come from the context and trigger; everything else from the execution's
 * variables, with dotted paths walking into nested objects.
 */
import type { EngineContext, TriggerInfo } from "../core/execution.ts";

/** Resolves a dotted variable path to its value, or `undefined` when nothing is there. */
export type VariableLookup = (path: string) => unknown;

export interface VariableScope {
  variables: Record<string, unknown>;
  contact?: EngineContext["contact"];
  /** The flow's id and name, for `{{flow.*}}`. */
  flowInfo?: EngineContext["flow"];
  trigger?: TriggerInfo | null;
}

/** Builds a lookup over a fixed scope. Own-property checks only: no prototype walking, ever. */
export function createVariableLookup(scope: VariableScope): VariableLookup {
  return (rawPath) => lookupVariable(scope, rawPath);
}

/** Resolves one dotted path in a scope (see createVariableLookup). */
export function lookupVariable(scope: VariableScope, rawPath: string): unknown {
  {
    const path = rawPath.trim();
    if (path === "") return undefined;
    if (hasOwn(scope.variables, path)) return scope.variables[path];
    const [root = "", ...rest] = path.split(".");
    if (root === "contact" && rest.length > 0 && scope.contact) {
      const [key = "", ...deeper] = rest;
      if (key === "id" || key === "name" || key === "phone") return walk(scope.contact[key], deeper);
      return walk(scope.contact.attributes, rest);
    }
    if (root === "flow" && scope.flowInfo) return walk(scope.flowInfo, rest);
    if (root === "trigger" && scope.trigger) {
      const fromTrigger = walk(scope.trigger, rest);
      return fromTrigger !== undefined ? fromTrigger : walk(scope.trigger.variables, rest);
    }
    if (!hasOwn(scope.variables, root)) return undefined;
    return walk(scope.variables[root], rest);
  }
}

function walk(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== "object") return undefined;
    if (!hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function hasOwn(object: object, key: string): boolean {
  return Object.hasOwn(object, key);
}

/** Sets a possibly dotted variable (`answers.email`) on a copy-on-write basis. */
export function setVariable(
  variables: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  if (!path.includes(".")) return isForbiddenKey(path) ? variables : { ...variables, [path]: value };
  const keys = path.split(".");
  if (keys.some(isForbiddenKey)) return variables;
  const [head = "", ...rest] = keys;
  if (rest.length === 0) return { ...variables, [head]: value };
  const child = variables[head];
  const base = child !== null && typeof child === "object" && !Array.isArray(child) ? child : {};
  return { ...variables, [head]: setVariable(base as Record<string, unknown>, rest.join("."), value) };
}

/** Keys that would reach an object's prototype; never written. */
export function isForbiddenKey(key: string): boolean {
  return key === "__proto__" || key === "constructor" || key === "prototype";
}

/** Renders a value the way a person expects to read it inside a message. */
export function stringifyValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
