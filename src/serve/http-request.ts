/** The marker an HTTP request travels under to a replica, where it gets `json()` back. */
export const httpRequestKey = '__rayboxServeRequest';

export interface HttpRequestData {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}
