import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The facts of the accessibility statement: what the whole-site browser sweep checked and found,
 * as it wrote them to docs/accessibility/sweep-results.json (`SWEEP_WRITE=1 npx mocha
 * test/browser/sweep.test.ts`). Read once at start-up; the statement never states a figure the
 * sweep did not produce.
 */
export const SWEEP_RESULTS_FILE = fileURLToPath(new URL('../../../docs/accessibility/sweep-results.json', import.meta.url));

const SweepResultsSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  tools: z.object({ 'axe-core': z.string(), chromium: z.string(), 'playwright-core': z.string(), 'vnu-jar': z.string().optional() }),
  axeRules: z.array(z.string()),
  viewports: z.array(z.number().int().positive()),
  accounts: z.array(z.object({ account: z.string(), pages: z.number().int().min(0) })),
  pages: z.number().int().min(0),
  pageKinds: z.array(z.string()),
  found: z.object({
    axe: z.number().int().min(0),
    axeNarrow: z.number().int().min(0),
    reflow320: z.number().int().min(0),
    reflow375: z.number().int().min(0),
    brokenLinks: z.number().int().min(0),
    console: z.number().int().min(0),
    html: z.object({ pages: z.number().int().min(0), errors: z.number().int().min(0) }).nullable(),
  }),
  problems: z.array(z.object({ account: z.string(), page: z.string(), kind: z.string(), detail: z.string() })),
});
export type SweepResults = z.infer<typeof SweepResultsSchema>;

/** The sweep's results, or undefined when the file is not there; a malformed file stops the start. */
export function loadSweepResults(file = SWEEP_RESULTS_FILE): SweepResults | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed = SweepResultsSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a sweep results file: ${parsed.error.message}`);
  return parsed.data;
}
