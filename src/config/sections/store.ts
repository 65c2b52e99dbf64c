import { z } from 'zod';

export const CONTENT_MODES = ['full', 'redacted', 'hash', 'none'] as const;
export type ContentMode = (typeof CONTENT_MODES)[number];

/** Per-tenant overrides of how interaction text is kept. */
export const tenantStoreSchema = z.object({ content: z.enum(CONTENT_MODES).optional() }).strict();

export const storeSchema = z
  .object({
    driver: z.enum(['sqlite', 'postgres']).default('sqlite'),
    /** SQLite database file (embedded default). */
    path: z.string().default('interdict.db'),
    /** PostgreSQL connection string, e.g. postgres://127.0.0.1:5432/interdict */
    url: z.string().optional(),
    /** PostgreSQL schema to use (created by migrate); default: the connection's search_path. */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .optional(),
    /** PostgreSQL pool size. */
    poolSize: z.number().int().min(1).max(100).default(4),
    /** How interaction text is kept unless a tenant overrides it. */
    content: z.enum(CONTENT_MODES).default('redacted'),
    /** Per-tenant settings keyed by tenant id. */
    tenants: z.record(z.string(), tenantStoreSchema).default({}),
  })
  .strict();

export type StoreConfig = z.infer<typeof storeSchema>;
