/** A tiny hash router: the builder is served as static files, so routes live after `#`. */
import { useEffect, useState } from "react";

export type Route =
  | { name: "login" }
  | { name: "flows" }
  | { name: "editor"; flowId: string }
  | { name: "executions" }
  | { name: "execution"; executionId: string };

/** Parses `#/flows/abc` into a route; anything unknown lands on the flows list. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [head, second] = parts;
  if (head === "login") return { name: "login" };
  if (head === "flows" && second) return { name: "editor", flowId: second };
  if (head === "executions" && second) return { name: "execution", executionId: second };
  if (head === "executions") return { name: "executions" };
  return { name: "flows" };
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case "login":
      return "#/login";
    case "flows":
      return "#/flows";
    case "editor":
      return `#/flows/${encodeURIComponent(route.flowId)}`;
    case "executions":
      return "#/executions";
    case "execution":
      return `#/executions/${encodeURIComponent(route.executionId)}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}
