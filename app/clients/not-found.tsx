import Link from "next/link";
import { FOCUS_RING } from "@/components/ui/focus";

export default function ClientNotFound() {
  return (
    <div className="rounded-lg border border-gray-200 bg-white p-6" data-testid="client-not-found">
      <h1 className="text-xl font-semibold">Client not found</h1>
      <p className="mt-2 text-sm text-gray-700">
        No client you can see has this address. It may have been renamed or removed.
      </p>
      <Link
        href="/"
        className={`mt-4 inline-block rounded text-sm font-medium text-indigo-700 hover:underline ${FOCUS_RING}`}
      >
        Back to all clients
      </Link>
    </div>
  );
}
