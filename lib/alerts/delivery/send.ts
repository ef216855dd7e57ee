import type { AlertChannelKind } from "@/lib/core/vocabulary";
import type { ChannelConfig } from "../channels";
import type { AlertMessage } from "../message";
import { sendEmail, type EmailSendOptions } from "./email";
import type { HttpSendOptions, SendResult } from "./http";
import { sendSlack } from "./slack";
import { sendWebhook } from "./webhook";

/** Settings of every sender; each reads its own and defaults to the environment. */
export type SenderOptions = HttpSendOptions & EmailSendOptions;

/**
 * Sends one message to one channel's target. Never throws for a delivery that failed.
 * `notificationId`: the queue row, the same on each retry (receivers drop repeats by it).
 */
export async function sendToChannel(
  kind: AlertChannelKind,
  config: ChannelConfig,
  message: AlertMessage,
  options: SenderOptions = {},
  notificationId?: number,
): Promise<SendResult> {
  const missing = (field: string): SendResult => ({
    ok: false,
    statusCode: null,
    error: `the channel has no ${field}; edit the channel to set it`,
  });
  switch (kind) {
    case "webhook":
      if (!config.url) return missing("URL");
      if (!config.signingSecret) return missing("signing secret");
      return sendWebhook({ url: config.url, signingSecret: config.signingSecret }, message, {
        ...options,
        notificationId,
      });
    case "slack":
      if (!config.url) return missing("URL");
      return sendSlack({ url: config.url }, message, options);
    case "email":
      if (!config.to?.length) return missing("recipients");
      return sendEmail({ to: config.to }, message, options);
  }
}
