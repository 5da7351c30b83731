// Task queue naming shared by the workflow (which routes Plex activities) and the worker.
export const plexTaskQueue = (mainQueue: string): string => `${mainQueue}-plex`;
