/** The console's access pages: login, the user menu, one's account (password, tokens), users and the audit log. */
package io.segmatch.access.view;
