/** Prefix of the session cookie ("flowscope.session_token"); shared by better-auth and proxy.ts. */
export const AUTH_COOKIE_PREFIX = "flowscope";
