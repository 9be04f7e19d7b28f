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
  // No favicon file to serve; an empty data URL spares every page load a 404.
  icons: { icon: "data:," },
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
