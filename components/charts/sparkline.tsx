/**
 * A sparkline of runs and failures per bucket: two polylines in a small SVG, no axes,
 * in the theme's colours (so dark mode applies).
 * Server-renderable and light, for a row per client on the overview; the numbers it
 * stands for are in its label.
 */
export function Sparkline({
  runs,
  failures,
  label,
  width = 120,
  height = 28,
}: {
  runs: readonly number[];
  failures: readonly number[];
  /** What a screen reader hears instead, e.g. "Runs per day, peak 812; 14 failures". */
  label: string;
  width?: number;
  height?: number;
}) {
  const peak = Math.max(1, ...runs, ...failures);
  const points = (values: readonly number[]) =>
    values
      .map((v, i) => {
        const x = values.length === 1 ? width / 2 : (i / (values.length - 1)) * (width - 2) + 1;
        const y = height - 1 - (v / peak) * (height - 2);
        return `${x.toFixed(1)},${y.toFixed(1)}`;
      })
      .join(" ");
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      {runs.length > 0 && <Trace points={points(runs)} className="text-indigo-600" />}
      {failures.some((v) => v > 0) && <Trace points={points(failures)} className="text-red-600" />}
    </svg>
  );
}

/** One line of the sparkline, in the colour of its class. */
function Trace({ points, className }: { points: string; className: string }) {
  return (
    <polyline
      points={points}
      fill="none"
      stroke="currentColor"
      className={className}
      strokeWidth={1.5}
      strokeLinejoin="round"
    />
  );
}
