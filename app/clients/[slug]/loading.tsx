import { CardsSkeleton, Skeleton } from "@/components/ui/skeleton";

/** Shown while a tab's server part renders; each widget then streams in behind its own skeleton. */
export default function Loading() {
  return (
    <div className="space-y-4">
      <div className="h-7 w-40 animate-pulse rounded bg-gray-200" />
      <CardsSkeleton label="dashboard" />
      <Skeleton label="charts" className="h-72" />
    </div>
  );
}
