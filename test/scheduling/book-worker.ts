/**
 * One candidate's booking in its own thread and database connection, released at the same
 * moment as the others' (a shared counter as a barrier), for the concurrency test.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../server/core/db.js';
import { createI18n } from '../../server/core/i18n.js';
import { commonMessages } from '../../server/core/messages.js';
import { messages as interviewMessages } from '../../server/features/interviews/messages.js';
import { chooseSlot, SlotTaken } from '../../server/features/scheduling/service.js';

const { file, applicationId, slotId, barrier, parties } = workerData as { file: string; applicationId: number; slotId: number; barrier: SharedArrayBuffer; parties: number };
const db = openDatabase(file);
const t = createI18n([commonMessages, interviewMessages]).translator('fr');
const counter = new Int32Array(barrier);
Atomics.add(counter, 0, 1);
while (Atomics.load(counter, 0) < parties) Atomics.wait(counter, 0, Atomics.load(counter, 0), 5);
let outcome: string;
try {
  chooseSlot(db, applicationId, slotId, { translator: () => t, baseUrl: 'http://coordo.test' });
  outcome = 'booked';
} catch (err) {
  outcome = err instanceof SlotTaken ? 'taken' : `error: ${err instanceof Error ? err.message : String(err)}`;
}
db.close();
parentPort?.postMessage(outcome);
