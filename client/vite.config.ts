// Vite root is client/; the server serves the build from dist/client with an SPA fallback.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const server = process.env['API_URL'] ?? 'http://localhost:3000';

export default defineConfig({
  root: here,
  base: '/',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // Monaco alone is ~3 MB minified; splitting it from the landing/mentor pages is what matters.
    chunkSizeWarningLimit: 4096,
  },
  worker: { format: 'es' },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: server, changeOrigin: true },
      '/socket.io': { target: server, ws: true, changeOrigin: true },
    },
  },
});
