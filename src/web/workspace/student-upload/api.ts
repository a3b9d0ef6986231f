/**
 * The student-record upload API (src/server/routes/student-uploads.ts) from the browser:
 * the file goes up with XMLHttpRequest, whose `upload.onprogress` gives the bytes sent
 * (fetch has no upload progress); the job is then polled with GET.
 */
import type { Problem } from '../../../core/errors.ts';
import type { JobPhase, StudentRecordKind, StudentUploadJob } from '../../../contract/student-records.ts';
import { WsApiError } from '../api.ts';

export type StudentKind = StudentRecordKind;
/** What GET /api/student-records/uploads/:id answers (src/contract/student-records.ts). */
export type { JobPhase, StudentUploadJob };

interface ErrorBody { error?: { code?: string; message_zh?: string; message_en?: string; detail?: string; problems?: Problem[] } }

function refusal(status: number, parsed: unknown): WsApiError {
  const e = (parsed as ErrorBody | null)?.error;
  const detail = e?.detail ? `（${e.detail}）` : '';
  return new WsApiError(status, e?.code ?? `HTTP_${status}`, `${e?.message_zh ?? '请求失败'}${detail}`, `${e?.message_en ?? 'request failed'}${e?.detail ? ` (${e.detail})` : ''}`, e?.problems ?? []);
}

function parse(text: string): unknown {
  try { return JSON.parse(text) as unknown; } catch { return null; }
}

/** `replace`: the uploader confirmed replacing stored records (otherwise such a file fails with E_REPLACE_UNCONFIRMED, listing the schools). */
export const uploadUrl = (kind: StudentKind, year: number | null, replace = false): string =>
  `/api/student-records/uploads?kind=${kind}${year !== null ? `&year=${year}` : ''}${replace ? '&replace=true' : ''}`;

/** Send the file; `onBytes(sent, total)` as it goes. Resolves with the job (phase `uploaded`). */
export function uploadStudentFile(file: File, kind: StudentKind, year: number | null, replace: boolean, onBytes: (sent: number, total: number) => void): Promise<StudentUploadJob> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', uploadUrl(kind, year, replace));
    xhr.setRequestHeader('x-requested-with', 'eduplan');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => onBytes(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      const parsed = parse(xhr.responseText);
      if (xhr.status === 202 || xhr.status === 200) {
        onBytes(file.size, file.size);
        resolve((parsed as { job: StudentUploadJob }).job);
      } else reject(refusal(xhr.status, parsed));
    };
    xhr.onerror = () => reject(new WsApiError(0, 'E_NETWORK', '网络错误，上传中断', 'Network error: the upload stopped', []));
    xhr.send(file);
  });
}

export async function getJob(id: string): Promise<StudentUploadJob> {
  const res = await fetch(`/api/student-records/uploads/${encodeURIComponent(id)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  const parsed = parse(await res.text());
  if (!res.ok) throw refusal(res.status, parsed);
  return (parsed as { job: StudentUploadJob }).job;
}
