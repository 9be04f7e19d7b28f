import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { StatusBar } from "@/components/status-bar";
import { UserMenu } from "@/components/auth/user-menu";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Flowtap",
  description: "Event flow inspector for Kafka",
  // An SVG for tabs, a PNG for home screens (rendered from the SVG by Chromium).
  icons: { icon: [{ url: "/icon.svg", type: "image/svg+xml" }], apple: "/apple-touch-icon.png" },
};

// Every page renders per request: the CSP nonce (proxy.ts) differs each time, and Next.js
// can only stamp it on its scripts when rendering.
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>
          <header className="app-header">
            <Link href="/" className="brand">
              Flowtap
            </Link>
            <StatusBar />
            <UserMenu />
          </header>
          {children}
        </Providers>
      </body>
    </html>
  );
}
