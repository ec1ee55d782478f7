/**
 * Console pages that belong to no single component: the overview (home page).
 */
package io.segmatch.shared.view;
