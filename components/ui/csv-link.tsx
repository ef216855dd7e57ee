import { FOCUS_RING } from "./focus";

/** A plain download link to the same endpoint with format=csv; the browser saves the file. */
export function CsvLink({ href, label }: { href: string; label: string }) {
  return (
    <a
      href={href}
      download
      className={`inline-flex items-center gap-1 rounded border border-gray-300 bg-white px-2 py-1 text-xs font-medium text-gray-800 hover:bg-gray-50 ${FOCUS_RING}`}
    >
      <span aria-hidden="true">↓</span> CSV<span className="sr-only"> of {label}</span>
    </a>
  );
}
