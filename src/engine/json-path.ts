/**
 * A small JSONPath subset for `responseMapping` (`$.data.items[0].name`, `$['odd key']`): enough to
 * pick values out of an API response, with own-property access only.
 */

/** Reads `path` from `value`; undefined when any step is missing or the path is malformed. */
export function readJsonPath(value: unknown, path: string): unknown {
  const keys = parseJsonPath(path);
  if (!keys) return undefined;
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== "object") return undefined;
    if (Array.isArray(current)) {
      if (typeof key !== "number") {
        if (key === "length") return current.length;
        return undefined;
      }
      current = current[key < 0 ? current.length + key : key];
    } else {
      const name = String(key);
      if (!Object.hasOwn(current, name)) return undefined;
      current = (current as Record<string, unknown>)[name];
    }
  }
  return current;
}

/** Splits `$.a[0]['b c']` into `["a", 0, "b c"]`; undefined when malformed. */
export function parseJsonPath(path: string): Array<string | number> | undefined {
  let rest = path.trim();
  if (rest.startsWith("$")) rest = rest.slice(1);
  const keys: Array<string | number> = [];
  const token =
    /^(?:\.([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|^([A-Za-z_$][\w$-]*))/;
  while (rest.length > 0) {
    const match = token.exec(rest);
    if (!match) return undefined;
    const [whole, dotted, index, single, double, bare] = match;
    if (index !== undefined) keys.push(Number(index));
    else keys.push((dotted ?? single ?? double ?? bare) as string);
    rest = rest.slice(whole.length);
  }
  return keys;
}
