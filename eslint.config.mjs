// ESLint flat config: typescript-eslint's recommended rules, React's hooks rules, Next's
// rules, and the import directions the folders must keep (README, Architecture).
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

/** Imports a folder may not make: each entry is a glob of import paths and why. */
const forbid = (...groups) => ({
  "no-restricted-imports": ["error", { patterns: groups.map(([group, message]) => ({ group, message })) }],
});

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      ".data/**",
      "drizzle/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  // React and Next rules where React runs; elsewhere "use…" names are not hooks
  // (useAsAppDatabase in tests, Playwright's fixture `use`).
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/web/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
    },
  },
  // Tests read raw JSON answers, whose shape is what they assert.
  {
    files: ["test/**/*.ts", "e2e/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  // The domain never reaches up into pages, components or the Inngest wiring.
  {
    files: ["lib/**/*.ts"],
    ignores: ["lib/jobs/dispatch.ts"],
    rules: forbid(
      [["@/app/*", "@/components/*"], "lib/ is the domain: pages and components import it, never the other way."],
      [["@/inngest", "@/inngest/*"], "Inngest functions call lib/jobs; lib/ does not know Inngest."],
    ),
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: forbid([["@/app/*"], "Components are used by pages; they do not import them."]),
  },
  {
    files: ["inngest/**/*.ts"],
    rules: forbid([["@/app/*", "@/components/*"], "Inngest functions are thin: they call lib/, nothing above it."]),
  },
  // Layout is Prettier's (npm run format); no ESLint rule argues with it.
  prettier,
);
