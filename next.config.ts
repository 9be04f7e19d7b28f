import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Loaded from node_modules at run time: PGlite ships WASM, kafkajs uses node sockets, protobufjs
  // loads its parts through an eval-based require that bundling breaks.
  serverExternalPackages: ["@electric-sql/pglite", "kafkajs", "postgres", "avsc", "protobufjs"],
  poweredByHeader: false,
  reactStrictMode: true,
  // The Content-Security-Policy is set per request, with a nonce, in proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
        ],
      },
    ];
  },
};

export default nextConfig;
