// ESLint flat config: typescript-eslint's recommended rules, React's hooks rules, Next's
// rules, and the import directions the folders must keep (README, Architecture).
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";
import { importX } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

/** lib/'s rooms from the bottom floor up: each may import only the rooms before it. */
const LIB_ROOMS = [
  "core",
  "db",
  "telemetry",
  "n8n",
  "runs",
  "clients",
  "accounts",
  "ingest",
  "jobs",
  "metrics",
  "alerts",
  "api",
  "web",
];

/** Within lib/ingest, the areas each area may not import (they come later in the data path). */
const INGEST_BELOW = {
  rollups: ["collect", "classify", "llm"],
  llm: ["collect", "classify", "rollups"],
  classify: ["collect", "llm"],
  errors: ["collect", "classify", "llm", "rollups"],
};

/** Imports a folder may not make: each entry is a glob of import paths and why. */
const forbid = (...groups) => ({
  "no-restricted-imports": [
    "error",
    { patterns: groups.filter(([group]) => group.length > 0).map(([group, message]) => ({ group, message })) },
  ],
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
  // lib/ is built in floors; a room imports only the rooms below it (README, Architecture).
  ...LIB_ROOMS.map((room, floor) => ({
    files: [`lib/${room}/**/*.{ts,tsx}`],
    rules: forbid(
      [
        [...LIB_ROOMS.slice(floor + 1).flatMap((above) => [`@/lib/${above}`, `@/lib/${above}/*`])],
        `lib/${room} is below ${LIB_ROOMS.slice(floor + 1).join(", ") || "nothing"}: it may import ${LIB_ROOMS.slice(0, floor).join(", ") || "no other room"}.`,
      ],
      [["@/app/*", "@/components/*"], "lib/ is the domain: pages and components import it, never the other way."],
      [["@/inngest", "@/inngest/*"], "Inngest functions call lib/jobs; lib/ does not know Inngest."],
      ...(room === "web" || room === "accounts"
        ? []
        : [
            [
              ["next", "next/*", "react", "react-dom", "react/*"],
              "Only lib/web (and the page guard) know Next and React.",
            ],
          ]),
    ),
  })),
  // Inside ingest, data flows collect → classify → rollups, and collect → llm and errors.
  ...Object.entries(INGEST_BELOW).map(([area, forbidden]) => ({
    files: [`lib/ingest/${area}/**/*.ts`],
    rules: forbid(
      [
        [
          ...LIB_ROOMS.slice(LIB_ROOMS.indexOf("ingest") + 1).flatMap((above) => [
            `@/lib/${above}`,
            `@/lib/${above}/*`,
          ]),
        ],
        "lib/ingest is below jobs, metrics, api and web.",
      ],
      [["@/app/*", "@/components/*", "@/inngest", "@/inngest/*"], "lib/ is the domain."],
      [["next", "next/*", "react", "react-dom", "react/*"], "Only lib/web (and the page guard) know Next and React."],
      [
        forbidden.flatMap((a) => [`@/lib/ingest/${a}`, `@/lib/ingest/${a}/*`]),
        `ingest/${area} does not import ${forbidden.join(", ")}: data reaches it from them, not the other way.`,
      ],
    ),
  })),
  {
    files: ["lib/accounts/**/*.ts"],
    ignores: ["lib/accounts/page-guard.ts"],
    rules: forbid(
      [
        [
          ...LIB_ROOMS.slice(LIB_ROOMS.indexOf("accounts") + 1).flatMap((above) => [
            `@/lib/${above}`,
            `@/lib/${above}/*`,
          ]),
        ],
        "lib/accounts is below ingest, jobs, metrics, api and web.",
      ],
      [["@/app/*", "@/components/*", "@/inngest", "@/inngest/*"], "lib/ is the domain."],
      [["next", "next/*", "react", "react-dom", "react/*"], "Only lib/web and the page guard know Next and React."],
    ),
  },
  // No import cycles anywhere in the source (the graph is small: a full check stays fast).
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver-next": [createTypeScriptImportResolver()],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: forbid([["@/app/*"], "Components are used by pages; they do not import them."]),
  },
  {
    files: ["inngest/**/*.ts"],
    rules: forbid(
      [["@/app/*", "@/components/*"], "Inngest functions are thin: they call lib/, nothing above it."],
      [
        [
          ...LIB_ROOMS.slice(LIB_ROOMS.indexOf("jobs") + 1).flatMap((above) =>
            // The alerts job sits above the metrics it reads, so above lib/jobs: its entry is the
            // exception (a gitignore-style pattern cannot re-include a file of an excluded folder).
            above === "alerts" ? ["@/lib/alerts/*", "!@/lib/alerts/jobs"] : [`@/lib/${above}`, `@/lib/${above}/*`],
          ),
        ],
        "Inngest functions run jobs: they import lib/jobs, the alerts job (lib/alerts/jobs) and the rooms below lib/jobs.",
      ],
    ),
  },
  // Layout is Prettier's (npm run format); no ESLint rule argues with it.
  prettier,
);
