// Builds the console's single-page app into web/dist, which the console service serves. During
// `vite dev`, /api and /live go to a console running on its default port.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:3107', '/live': 'http://127.0.0.1:3107' } },
});
