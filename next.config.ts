import type { NextConfig } from "next";

// Payloads, keys and headers are attacker-controlled text rendered in the browser, so the
// policy is as tight as a production build allows without nonces.
const dev = process.env.NODE_ENV === "development";
const csp = [
  "default-src 'self'",
  // The App Router streams its RSC payload in inline <script> elements, different on every
  // request, so without nonces (which need a proxy and dynamic rendering everywhere) inline
  // scripts must be allowed. Inline event handlers (onerror=…) are still refused.
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "script-src-attr 'none'",
  `style-src 'self'${dev ? " 'unsafe-inline'" : ""}`,
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

const nextConfig: NextConfig = {
  // Loaded from node_modules at run time: PGlite ships WASM, kafkajs uses node sockets.
  serverExternalPackages: ["@electric-sql/pglite", "kafkajs", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: csp },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
        ],
      },
    ];
  },
};

export default nextConfig;
