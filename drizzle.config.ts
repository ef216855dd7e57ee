import { defineConfig } from "drizzle-kit";

// Used for `npm run db:generate` only: it reads the schema and writes SQL, no connection.
// Migrations are applied by lib/db/database.ts, which holds the PGlite folder lock.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema/index.ts",
  out: "./drizzle",
  casing: "snake_case",
});
