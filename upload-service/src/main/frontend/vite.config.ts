import { defineConfig } from 'vite';

// Built by ./mvnw package (upload-service's pom runs npm ci and npm run build) onto the service's classpath, which
// serves index.html at / and the hashed files at /assets/. Nothing is loaded from elsewhere at run time.
export default defineConfig({
  base: '/',
  build: {
    outDir: process.env.DASHBOARD_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline scripts or data: modules: the page's Content-Security-Policy allows scripts from the service only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev` beside a running upload-service on port 3000.
    proxy: Object.fromEntries(
      ['/deploy', '/deployments', '/projects', '/queue', '/events', '/dead-letters', '/status'].map((path) => [
        path,
        'http://localhost:3000',
      ]),
    ),
  },
});
