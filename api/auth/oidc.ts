// Single sign-on with an OpenID Connect provider (openid-client): authorization code flow with PKCE, a
// state and a nonce; the user's role comes from a configurable claim through a configurable mapping.
// The provider's metadata is discovered on first use (and again after a failure).
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config/index.js';
import type { Role } from '../../domain/permissions.js';

/** What the login needs to remember between the redirect to the provider and the callback. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
}

export interface SsoIdentity {
  issuer: string;
  subject: string;
  email: string;
  emailVerified: boolean;
  displayName: string;
  /** Undefined when no claim value maps to a role. */
  role: Role | undefined;
}

export class SsoError extends Error {
  override name = 'SsoError';
  constructor(
    readonly kind: 'provider_unreachable' | 'rejected' | 'no_email',
    message: string,
  ) {
    super(message);
  }
}

export interface SsoClient {
  /** The provider's authorization URL and what the callback must check. */
  start(redirectUri: string, next: string): Promise<{ url: string; pending: PendingLogin }>;
  /** Completes the login from the callback URL (code exchange, ID token and nonce checks, userinfo). */
  finish(callbackUrl: URL, pending: PendingLogin): Promise<SsoIdentity>;
}

const RANK: Record<Role, number> = { clerk: 1, ops: 2, admin: 3 };

/** The highest role any of the claim's values maps to. */
export function roleFromClaim(value: unknown, roleMap: Record<string, Role>): Role | undefined {
  const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  let best: Role | undefined;
  for (const v of values) {
    const role = typeof v === 'string' ? roleMap[v] : undefined;
    if (role && (!best || RANK[role] > RANK[best])) best = role;
  }
  return best;
}

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

export function createSsoClient(config: OidcConfig): SsoClient {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    const issuer = new URL(config.issuerUrl);
    // Plain http is allowed only for a provider on this machine (development, tests).
    discovered ??= oidc
      .discovery(
        issuer,
        config.clientId,
        config.clientSecret,
        oidc.ClientSecretBasic(config.clientSecret),
        isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw new SsoError(
          'provider_unreachable',
          `The sign-in provider could not be reached: ${(err as Error).message}`,
        );
      });
    return discovered;
  };

  return {
    async start(redirectUri, next) {
      const cfg = await configuration();
      const pending: PendingLogin = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
        next,
      };
      const url = oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: config.scopes,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, pending };
    },

    async finish(callbackUrl, pending) {
      const cfg = await configuration();
      let tokens;
      try {
        tokens = await oidc.authorizationCodeGrant(cfg, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw new SsoError('rejected', `The sign-in was not accepted: ${(err as Error).message}`);
      }
      const idClaims = tokens.claims()!;
      // Providers put profile claims in the ID token or only in userinfo; read both, the ID token's subject binding them.
      const userinfo = await oidc.fetchUserInfo(cfg, tokens.access_token, idClaims.sub).catch(() => ({}));
      const claims: Record<string, unknown> = { ...userinfo, ...idClaims };
      const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
      if (!email)
        throw new SsoError(
          'no_email',
          'The sign-in provider did not share an email address (ask for the "email" scope).',
        );
      const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;
      return {
        issuer: idClaims.iss,
        subject: idClaims.sub,
        email,
        emailVerified: claims.email_verified === true,
        displayName: name.slice(0, 100),
        role: roleFromClaim(claims[config.roleClaim], config.roleMap),
      };
    },
  };
}
