// Where the workers' workflow code comes from. Run from the sources, it is bundled at start-up (webpack,
// a few seconds); run built (`npm run build`, dist/cli/worker.js), it is the bundle made by the build,
// beside the built worker, so the production worker needs neither the sources nor webpack to start.
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type BundleOptions, type Logger, type WorkerOptions } from '@temporalio/worker';

const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
/** The file name of the bundle the build writes beside the built worker. */
export const PREBUILT_WORKFLOW_BUNDLE = 'workflow-bundle.js';

/**
 * Modules the workflow thread evaluates once for all workflows (workflows/shared-libraries.ts says which
 * and why). Each workflow otherwise gets its own copy of every module it imports: zod alone is ~450 KB of
 * code, evaluated again for every workflow the worker starts or replays.
 */
export const SHARED_WORKFLOW_MODULES: readonly string[] = [
  fileURLToPath(new URL('../workflows/shared-libraries.ts', import.meta.url)),
];

/** How the workflow code is bundled, the same for the workers, the build, the tests and the replay checks. */
export const WORKFLOW_BUNDLE: Pick<BundleOptions, 'workflowsPath' | 'preloadModules'> = {
  workflowsPath: WORKFLOWS_PATH,
  preloadModules: [...SHARED_WORKFLOW_MODULES],
};

/** Worker options that bundle the workflow code themselves, the same way as WORKFLOW_BUNDLE. */
export const WORKFLOW_CODE = {
  workflowsPath: WORKFLOWS_PATH,
  bundlerOptions: { preloadModules: [...SHARED_WORKFLOW_MODULES] },
} satisfies Partial<WorkerOptions>;

/** The workflow code for this process's workers: the build's bundle when running built, else bundled now. */
export async function workflowCodeForWorkers(logger: Logger): Promise<NonNullable<WorkerOptions['workflowBundle']>> {
  if (!import.meta.url.endsWith('.ts'))
    return { codePath: fileURLToPath(new URL(PREBUILT_WORKFLOW_BUNDLE, import.meta.url)) };
  return bundleWorkflowCode({ ...WORKFLOW_BUNDLE, logger });
}
