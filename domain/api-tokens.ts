// An API token as the admin's list shows it: what db/user-admin.ts lists and views/tokens.tsx renders.
import type { TokenScope } from './permissions.js';

/** Never its secret (only a hash is stored); `createdBy` null: made with the CLI. */
export interface ApiTokenListing {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}
