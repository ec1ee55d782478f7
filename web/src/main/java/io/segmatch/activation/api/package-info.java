/** The activation API (api.md, "Activation"). */
package io.segmatch.activation.api;
