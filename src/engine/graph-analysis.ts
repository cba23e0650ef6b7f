/**
 * Graph walks for flow validation: reachability along an adjacency map, and strongly connected
 * components to find loops. Plain ids in, plain ids out; no knowledge of node types.
 */

/** Every id reachable from `roots` (roots included) by following `next`. */
export function collectReachable(roots: readonly string[], next: ReadonlyMap<string, string[]>): Set<string> {
  const seen = new Set<string>(roots);
  const queue = [...roots];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const target of next.get(id) ?? []) {
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return seen;
}

/** Tarjan's algorithm with an explicit stack, so a long chain of nodes cannot overflow the call stack. */
export function findStronglyConnected(
  ids: readonly string[],
  successors: ReadonlyMap<string, string[]>,
): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (id: string) => {
    const position = order.size;
    order.set(id, position);
    low.set(id, position);
    stack.push(id);
    onStack.add(id);
  };
  for (const root of ids) {
    if (order.has(root)) continue;
    visit(root);
    const work = [{ id: root, next: 0 }];
    for (let frame = work.at(-1); frame !== undefined; frame = work.at(-1)) {
      const target = (successors.get(frame.id) ?? [])[frame.next];
      frame.next += 1;
      if (target !== undefined) {
        if (!order.has(target)) {
          visit(target);
          work.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, order.get(target) ?? 0));
        }
        continue;
      }
      work.pop();
      const frameLow = low.get(frame.id) ?? 0;
      const parent = work.at(-1);
      if (parent !== undefined) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, frameLow));
      if (frameLow !== order.get(frame.id)) continue;
      const component: string[] = [];
      for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
        onStack.delete(id);
        component.push(id);
        if (id === frame.id) break;
      }
      components.push(component);
    }
  }
  return components;
}
