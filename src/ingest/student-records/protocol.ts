/** Messages between the student-record importer and its parse workers (parse-worker.ts). */
import type { Problem } from '../../core/errors.ts';
import type { SchoolType } from '../../core/org/types.ts';
import type { RowProcessorInit, TallyCounts } from './rows.ts';

export interface ShardJob {
  readonly path: string;
  /** Byte range [start, end) of the file, starting at a line start. */
  readonly start: number;
  readonly end: number;
  /** The file's line end (from its header line). */
  readonly crlf: boolean;
  readonly segmentRows: number;
  readonly init: RowProcessorInit;
}

export type ShardMessage =
  /** Binary COPY tuples for the main thread to copy; answered with an acknowledgement. */
  | { readonly type: 'segment'; readonly chunks: Uint8Array[]; readonly tuples: number; readonly rowsSeen: number; readonly problemCount: number }
  /** The range is not plain CSV: the importer reads the whole file in one thread instead. */
  | { readonly type: 'not_plain' }
  | ShardDone;

/** From the importer to a parse worker. */
export type ShardCommand =
  /** The import's batch exists: read the range, the rows carrying this batch id (the job's init has 0). */
  | { readonly type: 'begin'; readonly batchId: number }
  /** The answer to a segment: it is copied, and its buffers are the worker's to write again. */
  | { readonly type: 'ack'; readonly buffers: ArrayBuffer[] };

export interface ShardDone {
  readonly type: 'done';
  /** Lines in the range, empty ones included: the next range's row numbers start after them. */
  readonly lines: number;
  readonly rowsSeen: number;
  /** Row numbers relative to the range (1 = its first line). */
  readonly problems: Problem[];
  readonly problemCount: number;
  readonly tallies: ReadonlyArray<readonly [string, SchoolType, ReadonlyArray<readonly [string, TallyCounts]>]>;
  /** Digest (8 words) and relative row of each student number's first occurrence in the range. */
  readonly firstSeenWords: Uint32Array;
  readonly firstSeenRows: Int32Array;
}
