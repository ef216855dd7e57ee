"use client";

import { useViewerZone } from "./use-system-query";

/** Which zone the page's times are in: the viewer's own. */
export function ZoneNote() {
  const zone = useViewerZone();
  return <>Times are in {zone}, your browser&apos;s zone.</>;
}
