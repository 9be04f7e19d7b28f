import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Loaded from node_modules at run time: PGlite ships WASM, kafkajs uses node sockets.
  serverExternalPackages: ["@electric-sql/pglite", "kafkajs", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
