import type { Config } from "tailwindcss";

// Tailwind v4 reads this through `@config` in app/globals.css.
const config: Config = {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        // Theme variables, so dark mode (app/globals.css) turns them too.
        brand: { DEFAULT: "var(--color-indigo-700)", dark: "var(--color-indigo-800)" },
      },
    },
  },
};

export default config;
