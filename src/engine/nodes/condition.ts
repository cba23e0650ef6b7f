/**
 * `condition`: rules joined by AND/OR, or a seed 002 expression parsed by a real parser (never
 * eval). Follows `true` or `false`; a missing branch ends the flow (seed 000).
 */
import { evaluateRules } from "../conditions.ts";
import { type Expression, evaluateExpression, parseExpression } from "../expression.ts";
import type { NodeHandler } from "../step.ts";

/** Parsed expressions per source text: a flow version's nodes are parsed once, not per event. */
const parsedExpressions = new Map<string, Expression | Error>();

function parseCached(source: string): Expression | Error {
  let parsed = parsedExpressions.get(source);
  if (parsed === undefined) {
    try {
      parsed = parseExpression(source);
    } catch (error) {
      parsed = error instanceof Error ? error : new Error(String(error));
    }
    if (parsedExpressions.size > 1000) parsedExpressions.clear();
    parsedExpressions.set(source, parsed);
  }
  return parsed;
}

export const conditionNode: NodeHandler<"condition"> = {
  handles: () => ["true", "false"],
  enter(node, step) {
    const { expression, rules, logic } = node.data;
    let result: boolean;
    if (expression !== undefined && expression.trim() !== "") {
      const parsed = parseCached(expression);
      if (parsed instanceof Error) {
        return {
          kind: "fail",
          code: "ENGINE_INVALID_NODE",
          message: `Invalid expression: ${parsed.message}`,
        };
      }
      result = evaluateExpression(parsed, step.lookup);
      step.log(node, "condition", { input: { expression }, output: { result } });
    } else {
      const evaluated = evaluateRules(rules, logic ?? "AND", step.lookup);
      result = evaluated.result;
      step.log(node, "condition", { input: { rules, logic: logic ?? "AND" }, output: evaluated });
    }
    return { kind: "next", handle: result ? "true" : "false", strict: true };
  },
};
