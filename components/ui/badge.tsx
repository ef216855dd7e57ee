import type { ReactNode } from "react";

export type Tone = "gray" | "green" | "amber" | "red" | "blue";

/** -50 backgrounds with -800 text: at least 4.5:1 contrast for small text in every tone. */
const TONES: Record<Tone, string> = {
  gray: "bg-gray-100 text-gray-800",
  green: "bg-emerald-50 text-emerald-800",
  amber: "bg-amber-50 text-amber-800",
  red: "bg-red-50 text-red-800",
  blue: "bg-sky-50 text-sky-800",
};

export function Badge({ tone = "gray", children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${TONES[tone]}`}>{children}</span>;
}
