"use client";

import { useMutation } from "@tanstack/react-query";
import type { ConnectionTest } from "@/lib/clients/test-connection";
import { buttonClass } from "@/components/ui/button";
import { ALERT } from "@/components/ui/message";
import { adminApi, errorText } from "./api";
import { ConnectionResult } from "./connection-result";

/** Tests the stored URL and key (save a changed key first). */
export function TestConnectionButton({ clientId }: { clientId: number }) {
  const test = useMutation({
    mutationFn: () => adminApi<ConnectionTest>(`/api/v1/admin/clients/${clientId}/test-connection`, { method: "POST" }),
  });
  return (
    <div className="space-y-2">
      <button
        type="button"
        className={buttonClass("secondary")}
        disabled={test.isPending}
        onClick={() => test.mutate()}
      >
        {test.isPending ? "Testing…" : "Test connection"}
      </button>
      <div aria-live="polite">
        {test.isPending && (
          <p role="status" className="text-sm text-gray-700">
            Asking n8n…
          </p>
        )}
        {test.data && !test.isPending && <ConnectionResult result={test.data} />}
        {test.error && (
          <p role="alert" className={ALERT}>
            {errorText(test.error)}
          </p>
        )}
      </div>
    </div>
  );
}
