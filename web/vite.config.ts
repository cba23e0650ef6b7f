/** Builds the flow builder into web/dist; in dev, /api is proxied to a local Parley server. */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "./",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      // zod's pure-annotation comments sit where Rollup cannot use them; harmless, and not ours to fix.
      onwarn(warning, warn) {
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules")) return;
        warn(warning);
      },
    },
  },
  server: { proxy: { "/api": process.env.PARLEY_API ?? "http://127.0.0.1:3000" } },
});
