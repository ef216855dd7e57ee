import Form from "next/form";
import { buttonClass } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { ALERT_SEVERITIES } from "@/lib/core/vocabulary";
import { ALERT_VIEWS, type AlertFilters } from "./alerts-api";

/**
 * The list's filters as a GET form: applying them navigates to /alerts with them in the
 * URL (next/form, no full reload), so a filtered list can be shared and reloaded.
 */
export function AlertFiltersForm({
  filters,
  clients,
}: {
  filters: AlertFilters;
  /** The clients to choose from; null for a client user (their own client only). */
  clients: ReadonlyArray<{ id: number; name: string }> | null;
}) {
  return (
    <Form action="/alerts" aria-label="Filter alerts" className="flex flex-wrap items-end gap-3">
      <SelectField label="Show" name="view" defaultValue={filters.view} className="min-w-40">
        {Object.entries(ALERT_VIEWS).map(([value, v]) => (
          <option key={value} value={value}>
            {v.label}
          </option>
        ))}
      </SelectField>
      {clients && (
        <SelectField label="Client" name="clientId" defaultValue={filters.clientId ?? ""} className="min-w-40">
          <option value="">All clients</option>
          {clients.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
      )}
      <SelectField label="Severity" name="severity" defaultValue={filters.severity ?? ""} className="min-w-32">
        <option value="">Any</option>
        {ALERT_SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </SelectField>
      <button type="submit" className={buttonClass("secondary")}>
        Apply
      </button>
    </Form>
  );
}
