import { z } from 'zod';

export const CONTENT_MODES = ['full', 'redacted', 'hash', 'none'] as const;

export const storeSchema = z
  .object({
    driver: z.enum(['sqlite', 'postgres']).default('sqlite'),
    /** SQLite database file (embedded default). */
    path: z.string().default('interdict.db'),
    /** PostgreSQL connection string, e.g. postgres://127.0.0.1:5432/interdict */
    url: z.string().optional(),
    /** How interaction text is kept unless a tenant overrides it. */
    content: z.enum(CONTENT_MODES).default('redacted'),
  })
  .strict();

export type StoreConfig = z.infer<typeof storeSchema>;
