"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import {
  ALERTS_KEY,
  createChannel,
  errorText,
  fieldPathOf,
  updateChannel,
  type ChannelBody,
  type ChannelView,
  type SavedChannel,
} from "@/components/alerts/alerts-api";
import { buttonClass } from "@/components/ui/button";
import { Field, SelectField, SwitchField, TextAreaField } from "@/components/ui/field";
import { ALERT } from "@/components/ui/message";
import { ALERT_CHANNEL_KINDS, type AlertChannelKind } from "@/lib/core/vocabulary";

const KIND_LABEL: Record<AlertChannelKind, string> = {
  webhook: "Webhook (signed JSON POST)",
  slack: "Slack incoming webhook",
  email: "Email",
};

/** "a@x.test, b@x.test" or one a line: the addresses, without blanks. */
const addresses = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter(Boolean);

/**
 * Creates a channel, or changes one (`channel` given). Targets are never read back from
 * the API: on an edit, an empty URL or secret keeps the stored one. A refusal names its
 * field, which is marked invalid.
 */
export function ChannelForm({
  channel,
  onSaved,
  onCancel,
}: {
  channel?: ChannelView;
  onSaved: (saved: SavedChannel) => void;
  onCancel?: () => void;
}) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<AlertChannelKind>(channel?.kind ?? "webhook");
  const errorId = useId();
  const headingId = useId();
  const save = useMutation({
    mutationFn: (body: ChannelBody) => (channel ? updateChannel(channel.id, body) : createChannel(body)),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
      onSaved(saved);
    },
  });
  const field = fieldPathOf(save.error)?.split(".")[0] ?? null;
  const refusal = (name: string) => ({ invalid: field === name, errorId });
  const editing = channel !== undefined;
  // An edit that keeps the kind may leave the target empty: the stored one stays.
  const keepsTarget = editing && channel.kind === kind;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const body: ChannelBody = { name: text("name"), kind, enabled: form.get("enabled") === "on" };
    if (kind === "email") {
      const to = addresses(text("to"));
      if (to.length > 0 || !keepsTarget) body.to = to;
    } else {
      if (text("url") || !keepsTarget) body.url = text("url");
      if (kind === "webhook" && text("signingSecret")) body.signingSecret = text("signingSecret");
    }
    save.mutate(body, { onSuccess: () => (editing ? undefined : formElement.reset()) });
  }

  return (
    <form onSubmit={onSubmit} aria-labelledby={headingId} className="space-y-4" data-testid="channel-form">
      <h3 id={headingId} className="text-base font-semibold">
        {editing ? `Edit ${channel.name}` : "New channel"}
      </h3>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Name"
          name="name"
          required
          maxLength={200}
          autoComplete="off"
          defaultValue={channel?.name}
          placeholder="e.g. Ops webhook"
          {...refusal("name")}
        />
        <SelectField
          label="Kind"
          name="kind"
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as AlertChannelKind)}
          {...refusal("kind")}
        >
          {ALERT_CHANNEL_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </SelectField>
        {kind === "email" ? (
          <TextAreaField
            label="Recipients"
            name="to"
            rows={3}
            className="sm:col-span-2"
            required={!keepsTarget}
            defaultValue={keepsTarget ? channel.targetHint.split(", ").join("\n") : undefined}
            hint="One address a line (or separated by commas), up to 20. Sent over SMTP_URL from ALERT_FROM."
            {...refusal("to")}
          />
        ) : (
          <Field
            label={kind === "slack" ? "Incoming webhook URL" : "URL"}
            name="url"
            type="url"
            inputMode="url"
            autoComplete="off"
            className="sm:col-span-2"
            required={!keepsTarget}
            placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://example.com/flowscope"}
            hint={
              keepsTarget
                ? `Stored: ${channel.targetHint}. Leave empty to keep it.`
                : kind === "slack"
                  ? "Slack's incoming webhook address (https)."
                  : "Receives each notification as a JSON POST."
            }
            {...refusal("url")}
          />
        )}
        {kind === "webhook" && (
          <Field
            label="Signing secret (optional)"
            name="signingSecret"
            type="password"
            autoComplete="new-password"
            minLength={16}
            className="sm:col-span-2"
            hint={
              keepsTarget
                ? "Leave empty to keep the stored secret."
                : "At least 16 characters. Leave empty and Flowscope makes one, shown once after saving. Each POST carries x-flowscope-signature: sha256=HMAC of “timestamp.body”."
            }
            {...refusal("signingSecret")}
          />
        )}
        <SwitchField
          label="Enabled"
          name="enabled"
          defaultChecked={channel?.enabled ?? true}
          hint="A disabled channel receives nothing."
        />
      </div>
      {save.isError && (
        <p id={errorId} role="alert" className={ALERT}>
          {errorText(save.error)}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="submit" disabled={save.isPending} className={buttonClass("primary")}>
          {save.isPending ? "Saving…" : editing ? "Save channel" : "Create channel"}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} className={buttonClass("secondary")}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
