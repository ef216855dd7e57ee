import { expect } from "vitest";
import { N8nError } from "@/lib/n8n";

/** The N8nError a call must fail with (the test fails if it succeeds or throws anything else). */
export async function n8nFailure(promise: Promise<unknown>): Promise<N8nError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(N8nError);
  return err as N8nError;
}
