import { z } from 'zod';

// The page's Content-Security-Policy forbids eval. zod probes for it with `new Function` when it
// builds object schemas, and although it copes with the refusal, the browser logs a CSP violation
// as an error on every start. Turning its compiled fast path off skips the probe.
// Imported first by main.tsx, so it runs before any module builds a schema.
z.config({ jitless: true });
