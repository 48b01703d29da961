// Request authentication with nothing to refresh: none, a static bearer token, a static API key header.
import type { RequestAuth } from './request-auth.js';

export class NoAuth implements RequestAuth {
  readonly kind = 'none';

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({});
  }

  invalidate(): boolean {
    return false;
  }
}

/** Authorization: Bearer <secret>. A 401 will not go away by retrying: the token must be replaced in the secret store. */
export class BearerAuth implements RequestAuth {
  readonly kind = 'bearer';

  constructor(
    private readonly secretName: string,
    private readonly secrets: (name: string) => string,
  ) {}

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({ authorization: `Bearer ${this.secrets(this.secretName)}` });
  }

  invalidate(): boolean {
    return false;
  }
}

/** <header>: <secret>. */
export class ApiKeyAuth implements RequestAuth {
  readonly kind = 'api-key';
  private readonly header: string;

  constructor(
    header: string,
    private readonly secretName: string,
    private readonly secrets: (name: string) => string,
  ) {
    this.header = header.toLowerCase();
  }

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({ [this.header]: this.secrets(this.secretName) });
  }

  invalidate(): boolean {
    return false;
  }
}
