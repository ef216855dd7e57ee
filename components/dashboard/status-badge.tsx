import type { ExecutionStatus } from "@/lib/core/vocabulary";
import { Badge, type Tone } from "@/components/ui/badge";

const STATUS_TONE: Record<ExecutionStatus, Tone> = {
  success: "green",
  error: "red",
  crashed: "red",
  canceled: "gray",
  running: "blue",
  waiting: "amber",
  new: "amber",
  unknown: "gray",
};

export function StatusBadge({ status }: { status: ExecutionStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{status}</Badge>;
}
