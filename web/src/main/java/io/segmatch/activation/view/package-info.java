/** The console's Google Ads page. */
package io.segmatch.activation.view;
