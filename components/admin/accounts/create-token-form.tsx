"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import type { CreatedApiToken } from "@/lib/accounts/tokens";
import type { ClientChoice } from "@/lib/accounts/users";
import { buttonClass } from "@/components/ui/button";
import { CARD } from "@/components/ui/card";
import { Field, SelectField } from "@/components/ui/field";
import { ALERT } from "@/components/ui/message";
import { createToken, errorText, fieldOf, tokensQuery } from "./account-api";
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
  /** A field the server's message named is marked invalid and described by that message. */
  const refusal = (field: (typeof FIELDS)[number]) => ({ invalid: invalid === field, errorId });

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
      <form onSubmit={onSubmit} aria-labelledby="create-token-heading" className={`space-y-4 ${CARD}`}>
        <h2 id="create-token-heading" className="text-lg font-semibold">
          Create token
        </h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Name"
            name="name"
            type="text"
            required
            maxLength={100}
            autoComplete="off"
            placeholder="e.g. Reporting script"
            {...refusal("name")}
          />
          <SelectField
            label="Scope"
            hint="Tokens read metrics and send usage; they never administer."
            name="scope"
            defaultValue={GLOBAL}
            {...refusal("clientId")}
          >
            <option value={GLOBAL}>Global (reads every client)</option>
            {clients.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} only
              </option>
            ))}
          </SelectField>
        </div>
        {mutation.isError && (
          <p id={errorId} role="alert" className={ALERT}>
            {errorText(mutation.error)}
          </p>
        )}
        <button type="submit" disabled={mutation.isPending} className={buttonClass("primary")}>
          {mutation.isPending ? "Creating…" : "Create token"}
        </button>
      </form>
      {created && <TokenReveal name={created.apiToken.name} token={created.token} onDone={() => setCreated(null)} />}
    </div>
  );
}
