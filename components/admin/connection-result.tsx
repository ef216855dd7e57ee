import type { ConnectionTest } from "@/lib/clients/test-connection";
import { formatCount, formatMs } from "@/components/format/format";
import { ALERT, SUCCESS } from "@/components/ui/message";

/** The outcome of a connection test: what n8n shows, or exactly what went wrong and how to fix it. */
export function ConnectionResult({ result }: { result: ConnectionTest }) {
  if (!result.ok) {
    return (
      <div role="alert" className={ALERT} data-testid="connection-result" data-kind={result.error.kind}>
        <p className="font-medium">{result.error.title}</p>
        <p className="mt-1 break-words">{result.error.message}</p>
      </div>
    );
  }
  const executions = `${formatCount(result.executions)}${result.executionsCapped ? "+" : ""}`;
  return (
    <p role="status" className={SUCCESS} data-testid="connection-result" data-kind="ok">
      Connected to {result.baseUrl}: {formatCount(result.workflows)} workflows and {executions} executions visible
      {result.executionsCapped ? " (counting stops at 1,000)" : ""}. Answered in {formatMs(result.ms)}.
    </p>
  );
}
