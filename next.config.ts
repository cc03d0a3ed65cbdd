import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and Node-only packages stay outside the bundle.
  serverExternalPackages: ["@node-rs/argon2", "pino", "pg", "ioredis"],
  poweredByHeader: false,
  reactStrictMode: true,
  // Type checking is its own step (npm run typecheck), run once in npm test.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
