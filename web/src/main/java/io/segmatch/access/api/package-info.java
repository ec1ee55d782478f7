/**
 * The access API ({@code /api/me}, {@code /api/users}, {@code /api/tokens}, {@code /api/audit}) and
 * what every resource relies on: roles enforced from {@code @RolesAllowed}, and the JSON body limit.
 */
package io.segmatch.access.api;
