// Keeps the daily-digest Temporal Schedule in line with the configuration: created or updated when
// NOTIFY_DIGEST_AT is set, deleted when it is not. Run by the worker at start-up.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleOptions } from '@temporalio/client';

export const digestScheduleId = (taskQueue: string) => `${taskQueue}-daily-digest`;

export async function syncDigestSchedule(
  client: Client,
  opts: { taskQueue: string; at?: string; timeZone: string },
): Promise<'created' | 'updated' | 'removed' | 'off'> {
  const scheduleId = digestScheduleId(opts.taskQueue);
  const handle = client.schedule.getHandle(scheduleId);
  if (!opts.at) {
    try {
      await handle.delete();
      return 'removed';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'off';
      throw err;
    }
  }
  const [hour, minute] = opts.at.split(':').map(Number) as [number, number];
  const spec: ScheduleOptions['spec'] = {
    calendars: [{ hour, minute, comment: `daily at ${opts.at}` }],
    timezone: opts.timeZone,
  };
  const action: ScheduleOptions['action'] = {
    type: 'startWorkflow',
    workflowType: 'digestWorkflow',
    taskQueue: opts.taskQueue,
    workflowId: `${opts.taskQueue}-digest`,
    args: [],
  };
  try {
    // A digest missed while the cluster was down is sent when it comes back, within the same hour.
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: 'SKIP', catchupWindow: '1h' } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await handle.update((previous) => ({ ...previous, spec, action }));
    return 'updated';
  }
}
