// The web map's calls to the corridor-server API of the same origin: JSON in, JSON out, every
// failure (an error answer, no answer, no answer in time) as an ApiError with the API's body.

/** An error answer of the API (or a network failure), with the API's error body. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body || { code: 'NetworkError', message: `HTTP ${status}` };
  }
}

export const API_TIMEOUT_MS = 60_000;

/** GET an API path with query parameters; resolves to the JSON body or throws ApiError. */
export async function api(path, params = {}, signal) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, v);
  const url = qs.toString() ? `${path}?${qs}` : path;
  // A time limit of our own (an older browser without AbortSignal.timeout/any has none).
  const timeout = AbortSignal.timeout ? AbortSignal.timeout(API_TIMEOUT_MS) : null;
  const both = signal && timeout && AbortSignal.any ? AbortSignal.any([signal, timeout]) : (signal || timeout || undefined);
  let resp;
  try {
    resp = await fetch(url, { headers: { accept: 'application/json' }, signal: both });
  } catch (e) {
    if (signal?.aborted) throw e;
    if (timeout?.aborted) throw new ApiError(0, { code: 'ClientTimeout', message: `The server did not answer within ${API_TIMEOUT_MS / 1000} s.` });
    throw new ApiError(0, { code: 'NetworkError', message: `The server could not be reached (${e.message}). Is corridor serve running?` });
  }
  let body = null;
  try { body = await resp.json(); } catch { /* non-JSON error body */ }
  if (!resp.ok) throw new ApiError(resp.status, body || { code: `HTTP${resp.status}`, message: resp.statusText || `HTTP ${resp.status}` });
  return body;
}
