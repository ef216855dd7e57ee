"use client";

import { useEffect, useState, type RefObject } from "react";
import { cssColorToRgb, rgba, type Rgb } from "./colors";

export const CHART_ROLES = ["primary", "secondary", "success", "danger", "warning", "muted", "grid", "text"] as const;
export type ChartRole = (typeof CHART_ROLES)[number];

export interface ChartTheme {
  color: (role: ChartRole, alpha?: number) => string;
}

/**
 * Reads the chart colours that ChartFrame maps from Tailwind theme variables. Runs after
 * mount (the browser must compute the styles), so charts draw on the client only and
 * the server renders a same-sized placeholder.
 */
export function useChartTheme(ref: RefObject<HTMLElement | null>): ChartTheme | null {
  const [theme, setTheme] = useState<ChartTheme | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const style = getComputedStyle(ref.current);
    const colours = new Map<ChartRole, Rgb>();
    for (const role of CHART_ROLES) {
      const rgb = cssColorToRgb(style.getPropertyValue(`--chart-${role}`));
      if (rgb) colours.set(role, rgb);
    }
    const grey = { r: 107, g: 114, b: 128 };
    setTheme({ color: (role, alpha = 1) => rgba(colours.get(role) ?? grey, alpha) });
  }, [ref]);
  return theme;
}
