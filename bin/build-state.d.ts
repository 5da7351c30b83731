// Types of build-state.js (plain JavaScript, read by the bin before any TypeScript tooling is loaded).
export declare const ROOT: string;
export declare const DIST: string;
export declare const MANIFEST: string;
export declare const ENTRY: string;
export interface BuildManifest {
  builtAtMs: number;
  /** Paths relative to the repository root, the CLI entry first. */
  inputs: string[];
}
export declare function buildState(): { fresh: true } | { fresh: false; reason: string };
