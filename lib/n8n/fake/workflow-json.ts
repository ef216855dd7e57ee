import type { FakeWorkflowInput } from "./types";

export const iso = (d: Date | string | null | undefined) => (d == null ? null : new Date(d).toISOString());

/** A workflow in n8n's full JSON shape, extra fields included (the client strips them). */
export function workflowJson(w: FakeWorkflowInput) {
  const createdAt = iso(w.createdAt ?? "2024-01-01T00:00:00.000Z");
  const nodes = (w.nodes ?? []).map((n, i) => ({
    id: `${w.id}-node-${i}`,
    name: n.name,
    type: n.type,
    typeVersion: n.typeVersion ?? 1,
    position: [i * 220, 300],
    parameters: n.parameters ?? {},
    ...(n.disabled ? { disabled: true } : {}),
  }));
  // A plain chain; enough for clients that look at connections at all.
  const connections = Object.fromEntries(
    nodes.slice(0, -1).map((n, i) => [n.name, { main: [[{ node: nodes[i + 1].name, type: "main", index: 0 }]] }]),
  );
  return {
    id: w.id,
    name: w.name,
    active: w.active ?? true,
    isArchived: w.isArchived ?? false,
    createdAt,
    updatedAt: iso(w.updatedAt) ?? createdAt,
    nodes,
    connections,
    settings: { executionOrder: "v1", ...w.settings },
    staticData: null,
    meta: { templateCredsSetupCompleted: true },
    pinData: {},
    versionId: `${w.id}-v1`,
    triggerCount: w.active === false ? 0 : 1,
    tags: (w.tags ?? []).map((t) => {
      const tag = typeof t === "string" ? { id: `tag-${t.toLowerCase().replace(/\W+/g, "-")}`, name: t } : t;
      return { ...tag, createdAt, updatedAt: createdAt };
    }),
  };
}
