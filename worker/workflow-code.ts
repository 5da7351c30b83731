// Where the workers' workflow code comes from. Run from the sources, it is bundled at start-up (webpack,
// a few seconds); run built (`npm run build`, dist/cli/worker.js), it is the bundle made by the build,
// beside the built worker, so the production worker needs neither the sources nor webpack to start.
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type Logger, type WorkerOptions } from '@temporalio/worker';

const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
/** The file name of the bundle the build writes beside the built worker. */
export const PREBUILT_WORKFLOW_BUNDLE = 'workflow-bundle.js';

/**
 * Where the workflow code is, for the workers (bundled by the SDK), the build, the tests and the replay checks.
 * Nothing is preloaded (`preloadModules`): each cached workflow evaluates the workflow code's modules itself.
 * That is why the workflow code checks its inputs with valibot instead of zod (domain/workflow-inputs.ts):
 * zod and the domain's schemas cost each cached workflow ~1.5 MB, and a zod shared between workflows fails,
 * since the thread deep-freezes what it shares and zod writes to its own objects (docs/operations.md).
 */
export const WORKFLOW_CODE = { workflowsPath: WORKFLOWS_PATH };

/** The workflow code for this process's workers: the build's bundle when running built, else bundled now. */
export async function workflowCodeForWorkers(logger: Logger): Promise<NonNullable<WorkerOptions['workflowBundle']>> {
  if (!import.meta.url.endsWith('.ts'))
    return { codePath: fileURLToPath(new URL(PREBUILT_WORKFLOW_BUNDLE, import.meta.url)) };
  return bundleWorkflowCode({ ...WORKFLOW_CODE, logger });
}
