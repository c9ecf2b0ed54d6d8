/* HTTP Basic credentials for the admin endpoint: [daemon] admin_credentials
 * holds USER:PASSWORD lines, the password in clear or as a crypt(3) hash.
 * Browsers, the live page's own requests (EventSource sends the page's
 * credentials) and Prometheus (basic_auth) all speak it. */
#ifndef NW_ADMIN_AUTH_H
#define NW_ADMIN_AUTH_H

/* 1 when the Authorization header value (may be NULL) names one of the
 * lines of creds; creds NULL or empty lets everyone in. */
int nw_admin_auth_ok(const char *creds, const char *authorization);

#endif
