import { z } from 'zod';
import { gatewaySchema } from './sections/gateway.js';
import { logSchema } from './sections/log.js';
import { screeningSchema } from './sections/screening.js';
import { storeSchema } from './sections/store.js';
import { monitorSchema } from './sections/monitor.js';
import { enforcementSchema } from './sections/enforcement.js';

/**
 * The one configuration schema. Each section lives in sections/ beside this file; unknown keys are errors
 * everywhere (`.strict()`), so a typo never silently falls back to a default.
 */
export const configSchema = z
  .object({
    screening: screeningSchema.default(screeningSchema.parse({})),
    store: storeSchema.default(storeSchema.parse({})),
    monitor: monitorSchema.default(monitorSchema.parse({})),
    enforcement: enforcementSchema.default(enforcementSchema.parse({})),
    log: logSchema.default(logSchema.parse({})),
    gateway: gatewaySchema.default(gatewaySchema.parse({})),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
