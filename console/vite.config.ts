import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console is a static single-page app: one HTML document, hashed ES modules and CSS under
 * assets/, no inline script (the CSP in lib/definitions/console.ts forbids it), nothing from a
 * CDN. Pages load lazily, so the first page carries only the shell and the sign-in form.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Chromium, Firefox and Safari all support <link rel=modulepreload>: no polyfill.
    modulePreload: { polyfill: false },
    // Small assets would otherwise become data: URLs inside the CSS/JS.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
