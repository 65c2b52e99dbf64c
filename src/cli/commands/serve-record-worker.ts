/**
 * Worker-thread entry of `interdict serve`'s recording thread (see src/gateway/record-thread.ts): opens the
 * event store named in workerData and builds and writes the gateway's events there, off the request thread.
 */
import { workerData } from 'node:worker_threads';
import type { GatewayConfig } from '../../config/sections/gateway.js';
import type { StoreConfig } from '../../config/sections/store.js';
import { serveRecordThread } from '../../gateway/record-thread-worker.js';
import { openStore } from '../../store/index.js';

export interface ServeRecordWorkerData {
  store: StoreConfig;
  record: GatewayConfig['record'];
}

const data = workerData as ServeRecordWorkerData;
// The primary (or the request thread) has migrated the store already.
const store = await openStore(data.store, { migrate: false });
serveRecordThread(
  { writeBatch: async (events) => void (await store.putEvents(events)) },
  { ...data.record, contentMode: data.store.content, onClose: () => store.close() },
);
