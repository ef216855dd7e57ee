/** Grey blocks in the shape of what is loading; announced once as "Loading …". */
export function Skeleton({ label, className = "h-40" }: { label: string; className?: string }) {
  return (
    <div role="status" aria-live="polite" className={`animate-pulse rounded-lg bg-gray-200 ${className}`}>
      <span className="sr-only">Loading {label}…</span>
    </div>
  );
}

export function CardsSkeleton({ label, count = 4 }: { label: string; count?: number }) {
  return (
    <div role="status" aria-live="polite" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <span className="sr-only">Loading {label}…</span>
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="h-24 animate-pulse rounded-lg bg-gray-200" />
      ))}
    </div>
  );
}
