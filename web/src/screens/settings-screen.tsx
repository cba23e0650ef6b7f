/** Settings: channels, members and roles, API access, templates; one tab per route `#/settings/{tab}`. */
import { hrefFor, type SettingsTab } from "../router.ts";
import { ApiAccessTab } from "./settings-api-access.tsx";
import { ChannelsTab } from "./settings-channels.tsx";
import { MembersTab } from "./settings-members.tsx";
import { TemplatesTab } from "./settings-templates.tsx";

const TABS: { tab: SettingsTab; label: string }[] = [
  { tab: "channels", label: "Channels" },
  { tab: "members", label: "Members and roles" },
  { tab: "api-access", label: "API access" },
  { tab: "templates", label: "Templates" },
];

export function SettingsScreen({ tab }: { tab: SettingsTab }) {
  return (
    <section className="page" aria-labelledby="settings-title">
      <div className="page-head">
        <h1 id="settings-title">Settings</h1>
      </div>
      <nav className="settings-tabs" aria-label="Settings sections">
        {TABS.map((item) => (
          <a
            key={item.tab}
            href={hrefFor({ name: "settings", tab: item.tab })}
            aria-current={item.tab === tab ? "page" : undefined}
            data-testid={`settings-tab-${item.tab}`}
          >
            {item.label}
          </a>
        ))}
      </nav>
      <div className="settings-body">
        {tab === "members" ? (
          <MembersTab />
        ) : tab === "api-access" ? (
          <ApiAccessTab />
        ) : tab === "templates" ? (
          <TemplatesTab />
        ) : (
          <ChannelsTab />
        )}
      </div>
    </section>
  );
}
