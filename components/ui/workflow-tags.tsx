import { Badge } from "./badge";

/** A workflow's n8n tags, as small badges; production tags stand out. */
export function WorkflowTags({ tags }: { tags: readonly string[] }) {
  if (tags.length === 0) return null;
  return (
    <span className="inline-flex flex-wrap gap-1 align-middle">
      <span className="sr-only">tags:</span>
      {tags.map((t) => (
        <Badge key={t} tone={/^(production|prod|live)$/i.test(t.trim()) ? "green" : "gray"}>
          {t}
        </Badge>
      ))}
    </span>
  );
}
