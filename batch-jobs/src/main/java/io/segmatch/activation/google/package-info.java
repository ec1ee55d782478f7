/**
 * Google's APIs as Segmatch calls them: MicroProfile REST Client interfaces with small
 * hand-written request records (the Google Ads API's Customer Match calls, the Data Manager
 * API, the OAuth token endpoint), retries per docs/activation.md, and the two transports.
 */
package io.segmatch.activation.google;
