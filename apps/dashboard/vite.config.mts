/// <reference types="vitest/config" />
import path from 'node:path';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

/**
 * The dashboard's build goes to dist/dashboard/, which the gateway serves at `/`. `npm run dev:dashboard`
 * serves it with hot reload and forwards /api to a running gateway (GATEWAY_URL, default http://localhost:3000).
 */
export default defineConfig({
  root,
  plugins: [react(), tailwindcss()],
  // Pure rules shared with the API (template syntax, statuses), imported file by file, never copied.
  resolve: { alias: { '@contracts': path.resolve(root, '../../libs/contracts/src') } },
  build: {
    outDir: path.resolve(root, '../../dist/dashboard'),
    emptyOutDir: true,
    manifest: true,
    // The gateway's CSP forbids inline script and style: every asset is a file.
    assetsInlineLimit: 0,
  },
  server: {
    port: Number(process.env.DASHBOARD_DEV_PORT ?? 5173),
    proxy: { '/api': { target: process.env.GATEWAY_URL ?? 'http://localhost:3000', changeOrigin: false } },
  },
  test: {
    root,
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
  },
});
