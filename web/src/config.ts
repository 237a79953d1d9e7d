// Where the API lives. On AWS the page (S3/CloudFront) and the API are on different origins, so a
// `config.json` deployed next to the page names the API; locally one server serves both and the
// file is absent, so we fall back to the page's own origin.

export interface WebConfig {
  /** Without a trailing slash; '' means same origin. */
  apiBaseUrl: string;
}

export function parseConfig(raw: unknown): WebConfig {
  if (raw && typeof raw === 'object' && 'apiBaseUrl' in raw) {
    const value = (raw as { apiBaseUrl: unknown }).apiBaseUrl;
    if (typeof value === 'string' && /^https?:\/\//i.test(value.trim())) {
      return { apiBaseUrl: value.trim().replace(/\/+$/, '') };
    }
  }
  return { apiBaseUrl: '' };
}

export async function loadConfig(fetchFn: typeof fetch = fetch): Promise<WebConfig> {
  try {
    // Relative URL: resolved against the page, so the page works under any path prefix.
    const res = await fetchFn('config.json', { cache: 'no-store', credentials: 'omit' });
    if (!res.ok) return { apiBaseUrl: '' };
    return parseConfig(await res.json());
  } catch {
    // Missing file, HTML fallback page or network hiccup: same origin is the right default.
    return { apiBaseUrl: '' };
  }
}

/** Resolves an API path or a URL given by the API (documents[].url) against the API origin. */
export function apiUrl(config: WebConfig, pathOrUrl: string, pageOrigin: string): string {
  return new URL(pathOrUrl, config.apiBaseUrl ? `${config.apiBaseUrl}/` : pageOrigin).href;
}
