import type { PublicUser } from "@/lib/accounts/users";

/** The roles as the invite and edit forms offer them, with what each may see. */
export const ROLES: ReadonlyArray<{ value: PublicUser["role"]; label: string }> = [
  { value: "client", label: "Client user (one client's metrics)" },
  { value: "operator", label: "Operator (every client)" },
  { value: "admin", label: "Admin (every client, users and tokens)" },
];
