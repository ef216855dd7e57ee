/**
 * Chart colours come from Tailwind's theme variables (see components/charts/chart-frame),
 * which Tailwind v4 writes as oklch(). Chart.js derives hover and fill shades by parsing
 * colours itself and cannot parse oklch, so each colour is turned into rgb once by
 * letting the browser paint it.
 */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

let probe: CanvasRenderingContext2D | null | undefined;

export function cssColorToRgb(color: string): Rgb | null {
  if (typeof document === "undefined" || !color.trim()) return null;
  probe ??= document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  if (!probe) return null;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = "#000";
  probe.fillStyle = color.trim();
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  return { r, g, b };
}

export function rgba({ r, g, b }: Rgb, alpha = 1): string {
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
