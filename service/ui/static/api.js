// The page's only way out: calls to /v1 with the bearer token kept in this tab's session storage.

const KEY = "upstander.token";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

async function failure(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  const message = typeof body.message === "string" ? body.message : `${response.status} ${response.statusText}`;
  return new ApiError(response.status, body.code || "http_error", message);
}

/** fetch /v1 + path; resolves to the parsed JSON, rejects with ApiError carrying the API's message. */
export async function api(path, { method = "GET", body, headers = {}, bearer } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, cache: "no-store" };
  const secret = bearer || token.get();
  if (secret) init.headers.Authorization = `Bearer ${secret}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/v1${path}`, init);
  } catch {
    throw new ApiError(0, "network_error", "The server could not be reached. Check your connection and try again.");
  }
  if (!response.ok) throw await failure(response);
  return response.status === 204 ? null : response.json();
}

/** A query string from an object; arrays repeat the key, empty values are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== "" && v !== null && v !== undefined) q.append(key, v);
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}

/** POST a file as multipart to /v1/batches, reporting bytes sent (fetch cannot report upload progress). */
export function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/v1/batches");
    xhr.setRequestHeader("Authorization", `Bearer ${token.get()}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => e.lengthComputable && onProgress(e.loaded / e.total));
    xhr.addEventListener("error", () => reject(new ApiError(0, "network_error", "The upload did not reach the server.")));
    xhr.addEventListener("load", () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = {};
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body.code || "http_error", body.message || `upload failed (${xhr.status})`));
    });
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
