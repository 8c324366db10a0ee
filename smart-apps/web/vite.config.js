// One multi-page build: the launcher, the doctor app and the patient app share code (FHIR helpers,
// vital-sign definitions, charts) and are served by fhir-server under /apps/ from the jar.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const src = resolve(import.meta.dirname, 'src');

export default defineConfig({
  root: src,
  base: '/apps/',
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, 'target/classes/vitals-apps'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      input: {
        launcher: resolve(src, 'launcher/index.html'),
        doctor: resolve(src, 'doctor/index.html'),
        patient: resolve(src, 'patient/index.html'),
      },
    },
  },
});
