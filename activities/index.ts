// The activity factory: every stage's side effects, built from injected clients.
import { createAuditActivities } from './audit.js';
import type { ActivityDeps } from './deps.js';
import { createMatchActivities } from './match.js';
import { createNotifyActivities } from './notify.js';
import { createParseActivities } from './parse.js';
import { createSplitActivities } from './split.js';
import { createSyncActivities } from './sync.js';

export type { ActivityDeps } from './deps.js';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createParseActivities(deps),
    ...createSplitActivities(deps),
    ...createMatchActivities(deps),
    ...createSyncActivities(deps),
    ...createAuditActivities(deps),
    ...createNotifyActivities(deps),
  };
}
