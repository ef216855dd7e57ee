"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/accounts/password-length";
import type { ClientChoice, PublicUser } from "@/lib/accounts/users";
import { buttonClass } from "@/components/ui/button";
import { CARD } from "@/components/ui/card";
import { Field, SelectField } from "@/components/ui/field";
import { ALERT, SUCCESS } from "@/components/ui/message";
import { createUser, errorText, fieldOf, usersQuery, type NewUser } from "./account-api";
import { ROLES } from "./roles";

type Role = PublicUser["role"];

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
  /** A field the server's message named is marked invalid and described by that message. */
  const refusal = (field: (typeof FIELDS)[number]) => ({ invalid: invalid === field, errorId });

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
    <form onSubmit={onSubmit} aria-labelledby="invite-heading" className={`space-y-4 ${CARD}`}>
      <h2 id="invite-heading" className="text-lg font-semibold">
        Invite user
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Email" name="email" type="email" required autoComplete="off" {...refusal("email")} />
        <Field
          label={
            <>
              Name <span className="font-normal text-gray-600">(optional)</span>
            </>
          }
          name="name"
          type="text"
          maxLength={100}
          autoComplete="off"
          {...refusal("name")}
        />
        <Field
          label="Password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters, not a common password. Pass it on to the user yourself.`}
          name="password"
          type="password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          maxLength={PASSWORD_MAX_LENGTH}
          autoComplete="new-password"
          {...refusal("password")}
        />
        <SelectField
          label="Role"
          name="role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
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
            defaultValue=""
            disabled={clients.length === 0}
            {...refusal("clientId")}
          >
            <option value="" disabled>
              Choose a client…
            </option>
            {clients.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
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
      <button type="submit" disabled={mutation.isPending || noClients} className={buttonClass("primary")}>
        {mutation.isPending ? "Creating…" : "Create user"}
      </button>
    </form>
  );
}
