// One long-running watcher per watched folder: scan, take the files whose size and modification time
// did not change since the previous scan (a file still being written is left for later), sleep, repeat.
// The previous scan travels through continue-as-new, so a half-written file is never taken early.
import {
  ActivityFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { IngestActivities, WatchedFile } from '../domain/ingest.js';
import { checked, FolderWatcherInput } from '../domain/workflow-inputs.js';
import { pollNowSignal } from './mailbox.js';

const local = proxyActivities<IngestActivities>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 4 },
});

const SCANS_PER_RUN = 500;

export async function folderWatcher(rawInput: FolderWatcherInput, previousScan: WatchedFile[] = []): Promise<never> {
  const input = checked(FolderWatcherInput, rawInput, 'input');
  let wake = false;
  setHandler(pollNowSignal, () => {
    wake = true;
  });
  let previous = new Map(previousScan.map((f) => [f.name, f]));
  for (let scan = 0; scan < SCANS_PER_RUN && !workflowInfo().continueAsNewSuggested; scan++) {
    wake = false;
    let files: WatchedFile[] = [];
    try {
      files = await local.scanWatchedFolder({ path: input.path });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err; // recorded on the folder's status by the activity
    }
    const waiting = new Map<string, WatchedFile>();
    for (const file of files) {
      const before = previous.get(file.name);
      if (!before || before.size !== file.size || before.mtimeMs !== file.mtimeMs) {
        waiting.set(file.name, file);
        continue;
      }
      try {
        const outcome = await local.ingestWatchedFile({ path: input.path, file });
        // `waiting`: its e-invoice XML is taken first; it is taken at the next scan (no new command, so running histories replay).
        if (outcome.status === 'changed' || outcome.status === 'waiting') waiting.set(file.name, file);
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err; // left in place; taken again after two stable scans
      }
    }
    previous = waiting;
    await condition(() => wake, input.scanInterval);
  }
  return continueAsNew<typeof folderWatcher>(input, [...previous.values()]);
}
