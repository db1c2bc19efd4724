// Vite builds web/ into web/dist, which `trove serve` serves. The server's CSP allows only
// same-origin scripts and styles, so nothing may be inlined into index.html.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0, // no data: URLs for scripts or styles
    modulePreload: { polyfill: false }, // the polyfill would be an inline script
    sourcemap: false,
    target: 'es2020',
  },
  server: {
    // `npm run dev`: the UI with hot reload, the API from a `trove serve --port 8080`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
