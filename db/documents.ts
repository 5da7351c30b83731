// Uploaded files, stored once by content hash.
import type { Sql } from './client.js';

export interface StoredDocument {
  sha256: string;
  bytes: Uint8Array;
  mimeType: string;
  pageCount: number;
  fileName: string;
  sizeBytes: number;
}

/** Store a document; a second store of the same bytes is a no-op. */
export async function putDocument(sql: Sql, doc: StoredDocument): Promise<void> {
  await sql`
    insert into documents (sha256, bytes, size_bytes, mime_type, page_count, file_name)
    values (${doc.sha256}, ${Buffer.from(doc.bytes)}, ${doc.sizeBytes}, ${doc.mimeType}, ${doc.pageCount}, ${doc.fileName})
    on conflict (sha256) do nothing`;
}

export async function getDocument(sql: Sql, sha256: string): Promise<StoredDocument | undefined> {
  const [row] = await sql<
    { sha256: string; bytes: Buffer; mime_type: string; page_count: number; file_name: string; size_bytes: number }[]
  >`select sha256, bytes, mime_type, page_count, file_name, size_bytes from documents where sha256 = ${sha256}`;
  if (!row) return undefined;
  return {
    sha256: row.sha256,
    bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength),
    mimeType: row.mime_type,
    pageCount: row.page_count,
    fileName: row.file_name,
    sizeBytes: row.size_bytes,
  };
}

/** The stored type of a document, without reading its bytes. */
export async function documentMimeType(sql: Sql, sha256: string): Promise<string | undefined> {
  const [row] = await sql<{ mime_type: string }[]>`select mime_type from documents where sha256 = ${sha256}`;
  return row?.mime_type;
}
