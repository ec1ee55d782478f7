/**
 * Authentication (the application's own Jakarta Security mechanism: console sessions, bearer
 * tokens, HTTP Basic) and what protects browsers: origin checks, security headers, cookies.
 */
package io.segmatch.access.web;
