"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/accounts/password-length";
import type { ClientChoice, PublicUser } from "@/lib/accounts/users";
import { createUser, errorText, fieldOf, usersQuery, type NewUser } from "./account-api";
import { fieldProps } from "./field-props";
import { ALERT, INPUT, LABEL, PRIMARY_BUTTON, SUCCESS } from "./styles";

type Role = PublicUser["role"];

const ROLES: ReadonlyArray<{ value: Role; label: string }> = [
  { value: "client", label: "Client user (one client's metrics)" },
  { value: "operator", label: "Operator (every client)" },
  { value: "admin", label: "Admin (every client, users and tokens)" },
];

const FIELDS = ["email", "name", "password", "role", "clientId"] as const;

/** Admins invite users with a password they pass on; there is no public sign-up. */
export function InviteUserForm({ clients }: { clients: ClientChoice[] }) {
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>("client");
  const [created, setCreated] = useState<string | null>(null);
  const errorId = useId();
  const mutation = useMutation({
    mutationFn: createUser,
    onSuccess: async (user) => {
      setCreated(user.email);
      await queryClient.invalidateQueries({ queryKey: usersQuery().queryKey });
    },
  });
  const invalid = fieldOf(mutation.error, FIELDS);
  const aria = (field: (typeof FIELDS)[number], hintId?: string) => fieldProps(field, invalid, errorId, hintId);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get("name") ?? "").trim();
    const user: NewUser = {
      email: String(form.get("email") ?? ""),
      ...(name ? { name } : {}),
      password: String(form.get("password") ?? ""),
      role,
      clientId: role === "client" ? Number(form.get("clientId")) || null : null,
    };
    setCreated(null);
    mutation.mutate(user, {
      onSuccess: () => {
        formElement.reset();
        setRole("client");
      },
    });
  }

  const noClients = role === "client" && clients.length === 0;
  return (
    <form
      onSubmit={onSubmit}
      aria-labelledby="invite-heading"
      className="space-y-4 rounded-lg border border-gray-200 bg-white p-4 sm:p-5"
    >
      <h2 id="invite-heading" className="text-lg font-semibold">
        Invite user
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <label className={LABEL}>
          Email
          <input name="email" type="email" required autoComplete="off" className={INPUT} {...aria("email")} />
        </label>
        <label className={LABEL}>
          Name <span className="font-normal text-gray-600">(optional)</span>
          <input name="name" type="text" maxLength={100} autoComplete="off" className={INPUT} {...aria("name")} />
        </label>
        <label className={LABEL}>
          Password
          <input
            name="password"
            type="password"
            required
            minLength={PASSWORD_MIN_LENGTH}
            maxLength={PASSWORD_MAX_LENGTH}
            autoComplete="new-password"
            className={INPUT}
            {...aria("password", "password-hint")}
          />
          <span id="password-hint" className="mt-1 block text-xs font-normal text-gray-600">
            At least {PASSWORD_MIN_LENGTH} characters, not a common password. Pass it on to the user yourself.
          </span>
        </label>
        <label className={LABEL}>
          Role
          <select
            name="role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            className={INPUT}
            {...aria("role")}
          >
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        {role === "client" && (
          <label className={LABEL}>
            Client
            <select
              name="clientId"
              required
              defaultValue=""
              className={INPUT}
              disabled={clients.length === 0}
              {...aria("clientId")}
            >
              <option value="" disabled>
                Choose a client…
              </option>
              {clients.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {noClients && (
        <p className="text-sm text-gray-700">There are no clients yet: add one before inviting its users.</p>
      )}
      {mutation.isError && (
        <p id={errorId} role="alert" className={ALERT}>
          {errorText(mutation.error)}
        </p>
      )}
      {created && (
        <p role="status" className={SUCCESS}>
          Created {created}. They can sign in now.
        </p>
      )}
      <button type="submit" disabled={mutation.isPending || noClients} className={PRIMARY_BUTTON}>
        {mutation.isPending ? "Creating…" : "Create user"}
      </button>
    </form>
  );
}
