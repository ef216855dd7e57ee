import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SiteNav } from "@/components/auth/site-nav";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Flowscope", template: "%s · Flowscope" },
  description: "Long-term metrics for n8n",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-gray-50 text-gray-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-10 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        {/* Around the header too: its alert bell reads the same query client as the pages. */}
        <Providers>
          <header className="border-b border-gray-200 bg-white">
            <SiteNav />
          </header>
          <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
