/** A tiny hash router: the builder is served as static files, so routes live after `#`. */
import { useEffect, useState } from "react";

export type Route =
  | { name: "login" }
  | { name: "flows" }
  | { name: "editor"; flowId: string }
  | { name: "executions" }
  | { name: "execution"; executionId: string }
  | { name: "conversations" }
  | { name: "conversation"; contactId: string }
  | { name: "settings"; tab: SettingsTab };

export const SETTINGS_TABS = ["channels", "members", "api-access", "templates"] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

const isSettingsTab = (value: string | undefined): value is SettingsTab =>
  SETTINGS_TABS.some((tab) => tab === value);

/** Parses `#/flows/abc` (or `#/settings/members`, `#/conversations/{contactId}`) into a route; anything unknown lands on the flows list. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [head, second] = parts;
  if (head === "login") return { name: "login" };
  if (head === "flows" && second) return { name: "editor", flowId: second };
  if (head === "executions" && second) return { name: "execution", executionId: second };
  if (head === "executions") return { name: "executions" };
  if (head === "conversations" && second) return { name: "conversation", contactId: second };
  if (head === "conversations") return { name: "conversations" };
  if (head === "settings") return { name: "settings", tab: isSettingsTab(second) ? second : "channels" };
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
    case "conversations":
      return "#/conversations";
    case "conversation":
      return `#/conversations/${encodeURIComponent(route.contactId)}`;
    case "settings":
      return `#/settings/${route.tab}`;
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
