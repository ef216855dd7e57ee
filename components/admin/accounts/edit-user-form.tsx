"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import type { ClientChoice, PublicUser } from "@/lib/accounts/users";
import { buttonClass } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { ALERT } from "@/components/ui/message";
import { errorText, fieldOf, updateUser, usersQuery } from "./account-api";
import { ROLES } from "./roles";

type Role = PublicUser["role"];
const FIELDS = ["role", "clientId"] as const;

/**
 * A user's role and client, edited in place. The server has the last word (a client user
 * needs a client; the last admin stays admin) and its refusal is shown next to the field
 * it names. Escape or Cancel closes it and focus goes back to the row's Edit button.
 */
export function EditUserForm({
  user,
  clients,
  isSelf,
  onClose,
}: {
  user: PublicUser;
  clients: ClientChoice[];
  isSelf: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>(user.role);
  const [clientId, setClientId] = useState<string>(user.clientId === null ? "" : String(user.clientId));
  const errorId = useId();
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);

  const save = useMutation({
    mutationFn: () => updateUser(user.id, { role, clientId: role === "client" ? Number(clientId) || null : null }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: usersQuery().queryKey });
      onClose();
    },
  });
  const invalid = fieldOf(save.error, FIELDS);
  const refusal = (field: (typeof FIELDS)[number]) => ({ invalid: invalid === field, errorId });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate();
  }
  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape" && !save.isPending) onClose();
  }

  return (
    <form
      onSubmit={onSubmit}
      onKeyDown={onKeyDown}
      aria-label={`Edit ${user.email}`}
      className="space-y-3"
      data-testid="edit-user-form"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField
          ref={first}
          label="Role"
          name="role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          hint={
            isSelf && user.role === "admin"
              ? "You can leave the admin role only while another admin remains."
              : undefined
          }
          {...refusal("role")}
        >
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </SelectField>
        {role === "client" && (
          <SelectField
            label="Client"
            name="clientId"
            required
            value={clientId}
            onChange={(e) => setClientId(e.target.value)}
            {...refusal("clientId")}
          >
            <option value="">Choose a client…</option>
            {clients.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
        )}
      </div>
      {save.isError && (
        <p id={errorId} role="alert" className={ALERT}>
          {errorText(save.error)}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass("primary", "sm")} disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </button>
        <button type="button" className={buttonClass("secondary", "sm")} disabled={save.isPending} onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
