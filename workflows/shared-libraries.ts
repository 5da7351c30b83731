// The libraries the workflow thread loads once for all workflows (worker/create.ts, WORKFLOW_BUNDLE): a
// workflow otherwise evaluates its own copy of every module it imports. The thread deep-freezes what it
// shares, so only code that never changes its own objects afterwards belongs here: zod's library code does
// not; the schemas built with it do (each caches its methods on first use), so domain/ stays per workflow.
import * as z from 'zod';

// zod fills its global configuration (the error messages, the memoizer) when the first schema is built:
// built here, before the thread freezes that configuration.
z.object({ ready: z.string() }).safeParse({});

export const SHARED_LIBRARIES = [z];
