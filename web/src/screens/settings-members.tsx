/** Settings → Members and roles: add a member with a password, change roles, remove members. */
import { useCallback, useEffect, useState } from "react";
import { api, type Member, ROLES, type Role } from "../api.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { FormCard } from "../components/form-card.tsx";
import { PageBanners } from "../components/page-banners.tsx";
import { TableRows } from "../components/table-rows.tsx";
import { useSubmit } from "../components/use-submit.ts";
import { formatDate } from "../download.ts";
import { settingsError } from "./settings-shared.ts";

const ROLE_HINT: Record<Role, string> = {
  viewer: "reads flows, executions and conversations",
  editor: "also builds flows and replies to contacts",
  admin: "also manages channels, members and API access",
  owner: "everything, including the owner role",
};

const isRole = (value: string): value is Role => ROLES.some((role) => role === value);

export function MembersTab() {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [toRemove, setToRemove] = useState<Member | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setMembers((await api.listMembers()).results);
    } catch (caught) {
      setError(settingsError(caught));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (member: Member, action: () => Promise<unknown>, done: string) => {
    setBusyId(member.user_id);
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(done);
    } catch (caught) {
      setError(settingsError(caught));
    } finally {
      setBusyId(null);
      await load();
    }
  };

  return (
    <div data-testid="settings-members">
      <div className="section-head">
        <h2>Members and roles</h2>
        <span className="spacer" />
        <button
          type="button"
          className="btn primary"
          onClick={() => setAdding(true)}
          disabled={adding}
          data-testid="members-add"
        >
          Add member
        </button>
      </div>
      <p className="muted small">
        {ROLES.map((role) => (
          <span key={role} className="role-hint">
            <strong>{role}</strong> {ROLE_HINT[role]}.{" "}
          </span>
        ))}
      </p>
      {adding ? (
        <AddMemberForm
          onCancel={() => setAdding(false)}
          onAdded={async (member) => {
            setAdding(false);
            setNotice(`Added ${member.email} as ${member.role}. They sign in with their e-mail address.`);
            await load();
          }}
        />
      ) : null}
      <PageBanners notice={notice} error={error} />
      <table className="table" data-testid="members-table">
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Role</th>
            <th scope="col">Added</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <TableRows
            rows={members}
            loading={members === null && !error}
            columns={4}
            loadingText="Loading members…"
          >
            {(member) => (
              <tr key={member.user_id} data-testid={`member-row-${member.user_id}`} data-email={member.email}>
                <td>
                  <span className="strong">{member.name || member.email}</span>
                  {member.name && member.name !== member.email ? (
                    <div className="muted small">{member.email}</div>
                  ) : null}
                </td>
                <td>
                  <select
                    value={member.role}
                    aria-label={`Role of ${member.email}`}
                    disabled={busyId === member.user_id}
                    onChange={(event) => {
                      const role = event.target.value;
                      if (isRole(role))
                        void act(
                          member,
                          () => api.changeMemberRole(member.user_id, role),
                          `${member.email} is now ${role}.`,
                        );
                    }}
                    data-testid={`member-role-${member.user_id}`}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="small">{formatDate(member.created_at)}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn small danger"
                    disabled={busyId === member.user_id}
                    onClick={() => setToRemove(member)}
                    data-testid={`member-remove-${member.user_id}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </table>
      {toRemove ? (
        <ConfirmDialog
          title="Remove member?"
          message={`${toRemove.email} will lose access to this organization. Their account stays.`}
          confirmLabel="Remove"
          danger
          onConfirm={() => {
            const member = toRemove;
            setToRemove(null);
            void act(member, () => api.removeMember(member.user_id), `Removed ${member.email}.`);
          }}
          onCancel={() => setToRemove(null)}
        />
      ) : null}
    </div>
  );
}

function AddMemberForm({
  onCancel,
  onAdded,
}: {
  onCancel: () => void;
  onAdded: (member: Member) => Promise<void>;
}) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("editor");

  const {
    busy: saving,
    error,
    submit,
  } = useSubmit(async () => {
    const member = await api.addMember({
      email: email.trim(),
      password,
      role,
      ...(name.trim() ? { name: name.trim() } : {}),
    });
    await onAdded(member);
  }, settingsError);

  return (
    <FormCard title="Add a member" testId="member-form" error={error} onSubmit={submit}>
      <div className="form-grid">
        <label className="field">
          <span>E-mail (their username)</span>
          <input
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            data-testid="member-email"
          />
        </label>
        <label className="field">
          <span>Name (optional)</span>
          <input value={name} onChange={(event) => setName(event.target.value)} data-testid="member-name" />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            data-testid="member-password"
          />
          <span className="hint">At least 12 characters; share it with them privately.</span>
        </label>
        <label className="field">
          <span>Role</span>
          <select
            value={role}
            onChange={(event) => {
              if (isRole(event.target.value)) setRole(event.target.value);
            }}
            data-testid="member-role"
          >
            {ROLES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn primary" disabled={saving} data-testid="member-submit">
          {saving ? "Adding…" : "Add member"}
        </button>
      </div>
    </FormCard>
  );
}
