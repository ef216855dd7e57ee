/**
 * The length bounds of a password, apart from the rule's word list so that the invite
 * form can show them without shipping the list to the browser.
 *
 * 10 rather than 8: passwords here are set by an admin and handed on, so the extra
 * characters cost nobody much, while every one multiplies the work of cracking a leaked
 * hash. The common-password check covers the short, popular ones either way.
 */
export const PASSWORD_MIN_LENGTH = 10;
/** better-auth's own ceiling; scrypt over megabytes would be a cheap way to burn CPU. */
export const PASSWORD_MAX_LENGTH = 128;
