"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import type { CreatedApiToken } from "@/lib/accounts/tokens";
import type { ClientChoice } from "@/lib/accounts/users";
import { createToken, errorText, fieldOf, tokensQuery } from "./account-api";
import { fieldProps } from "./field-props";
import { ALERT, INPUT, LABEL, PRIMARY_BUTTON } from "./styles";
import { TokenReveal } from "./token-reveal";

const FIELDS = ["name", "clientId"] as const;
const GLOBAL = "global";

/** Creates a global or client-scoped token and shows it once. */
export function CreateTokenForm({ clients }: { clients: ClientChoice[] }) {
  const queryClient = useQueryClient();
  // Kept only in this component's state: gone on "Done" or when the page is left.
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const errorId = useId();
  const mutation = useMutation({
    mutationFn: createToken,
    onSuccess: async (result) => {
      setCreated(result);
      await queryClient.invalidateQueries({ queryKey: tokensQuery().queryKey });
    },
  });
  const invalid = fieldOf(mutation.error, FIELDS);
  const aria = (field: (typeof FIELDS)[number], hintId?: string) => fieldProps(field, invalid, errorId, hintId);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const scope = String(form.get("scope") ?? GLOBAL);
    setCreated(null);
    mutation.mutate(
      { name: String(form.get("name") ?? ""), clientId: scope === GLOBAL ? null : Number(scope) },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <div className="space-y-4">
      <form
        onSubmit={onSubmit}
        aria-labelledby="create-token-heading"
        className="space-y-4 rounded-lg border border-gray-200 bg-white p-4 sm:p-5"
      >
        <h2 id="create-token-heading" className="text-lg font-semibold">
          Create token
        </h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <label className={LABEL}>
            Name
            <input
              name="name"
              type="text"
              required
              maxLength={100}
              autoComplete="off"
              placeholder="e.g. Reporting script"
              className={INPUT}
              {...aria("name")}
            />
          </label>
          <label className={LABEL}>
            Scope
            <select name="scope" defaultValue={GLOBAL} className={INPUT} {...aria("clientId", "scope-hint")}>
              <option value={GLOBAL}>Global (reads every client)</option>
              {clients.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} only
                </option>
              ))}
            </select>
            <span id="scope-hint" className="mt-1 block text-xs font-normal text-gray-600">
              Tokens read metrics and send usage; they never administer.
            </span>
          </label>
        </div>
        {mutation.isError && (
          <p id={errorId} role="alert" className={ALERT}>
            {errorText(mutation.error)}
          </p>
        )}
        <button type="submit" disabled={mutation.isPending} className={PRIMARY_BUTTON}>
          {mutation.isPending ? "Creating…" : "Create token"}
        </button>
      </form>
      {created && <TokenReveal name={created.apiToken.name} token={created.token} onDone={() => setCreated(null)} />}
    </div>
  );
}
